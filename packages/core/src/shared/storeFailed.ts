import { RefreshFailedError } from '../errors/RefreshFailedError'

/**
 * A shared store that failed (Redis away, a file that cannot be locked) is a
 * transient failure: the session is kept and the next request tries again. The
 * cause keeps only the message, since a client's error object may carry the
 * command's arguments, which hold tokens.
 */
export function storeFailed(error: unknown): Error {
  if (error instanceof RefreshFailedError) return error
  if (error instanceof Error && error.name === 'RefreshTimeoutError') return error
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
    return error
  }
  const message = error instanceof Error ? error.message : String(error)
  return new RefreshFailedError(`The shared session store failed: ${message}`, {
    cause: new Error(message),
  })
}

/** Runs a store call; its failure becomes {@link storeFailed}'s transient error. */
export async function withStore<T>(call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  try {
    return await call()
  } catch (error) {
    // what the caller's own signal aborted with (timeout, logout) passes as it is
    if (signal?.aborted && error === signal.reason) throw error
    throw storeFailed(error)
  }
}
