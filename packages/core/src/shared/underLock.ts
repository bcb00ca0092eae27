import { storeFailed } from './storeFailed'
import type { SharedLockOptions, SharedStore } from './types'

/**
 * Runs `work` under the store's lock. The lock failing is the store failing (a
 * transient error); what `work` throws (the refresh refused: the session is over)
 * passes as it is.
 */
export async function underLock<T>(
  lock: NonNullable<SharedStore['lock']>,
  options: SharedLockOptions,
  work: (lease: AbortSignal) => Promise<T>,
): Promise<T> {
  const { signal } = options
  let thrown: { error: unknown } | null = null
  try {
    return await lock(
      (lease) =>
        work(lease).catch((error: unknown) => {
          thrown = { error }
          throw error
        }),
      options,
    )
  } catch (error) {
    if (thrown) throw (thrown as { error: unknown }).error
    if (signal.aborted && error === signal.reason) throw error
    throw storeFailed(error)
  }
}
