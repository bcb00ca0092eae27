import type { SignalLike } from './engine'

/**
 * The engine's cancellation: a queued request that was aborted or whose session ended.
 * It looks like Axios' cancel error (`axios.isCancel()` is true for it); the Axios
 * transport turns it into a real `CanceledError` and the fetch transport into an
 * `AbortError`, so each client's users see what their client throws.
 */
export class RequestCanceledError extends Error {
  override name = 'CanceledError'
  readonly code = 'ERR_CANCELED'
  readonly __CANCEL__ = true
}

/** Whether `error` is the engine's cancellation (checked by name across realms). */
export const isRequestCanceled = (error: unknown): error is RequestCanceledError =>
  error instanceof RequestCanceledError ||
  (error as { __CANCEL__?: unknown } | null)?.__CANCEL__ === true

const ABORTED = 'Request aborted while waiting for a token refresh'

/** Requests waiting for a refresh; see {@link createRequestQueue}. */
export interface RequestQueue<T> {
  /** How many requests are waiting. */
  readonly size: number
  /** Waits for the next `release` or `rejectAll`, or rejects when `signal` aborts. */
  wait(signal?: SignalLike): Promise<T>
  /** Lets every waiter go on with `value`, first in first out. */
  release(value: T): void
  /** Fails every waiter with `error`. */
  rejectAll(error: unknown): void
}

/**
 * Requests waiting for a refresh. They are released in the order they joined
 * (the order they failed), and a waiter whose signal aborts leaves at once, in
 * constant time, without disturbing the refresh or the others.
 */
export function createRequestQueue<T>(): RequestQueue<T> {
  // a Map keeps insertion order and deletes in O(1): aborting n waiters stays linear
  let waiters = new Map<
    () => void,
    { settle(ok: boolean, value: unknown): void; signal?: SignalLike | undefined }
  >()
  const drain = (ok: boolean, value: unknown) => {
    const all = waiters
    waiters = new Map()
    for (const [onAbort, waiter] of all) {
      waiter.signal?.removeEventListener?.('abort', onAbort)
      waiter.settle(ok, value)
    }
  }
  return {
    get size() {
      return waiters.size
    },
    wait: (signal) =>
      new Promise<T>((resolve, reject) => {
        if (signal?.aborted) return reject(new RequestCanceledError(ABORTED))
        const onAbort = () => {
          waiters.delete(onAbort)
          // an aborted signal may be kept and reused (a page's one controller): leave nothing on it
          signal?.removeEventListener?.('abort', onAbort)
          reject(new RequestCanceledError(ABORTED))
        }
        signal?.addEventListener?.('abort', onAbort)
        waiters.set(onAbort, {
          signal,
          settle: (ok, value) => (ok ? resolve(value as T) : reject(value)),
        })
      }),
    release: (value) => drain(true, value),
    rejectAll: (error) => drain(false, error),
  }
}
