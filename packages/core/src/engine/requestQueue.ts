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

interface Waiter<T> {
  resolve(value: T): void
  reject(error: unknown): void
  signal: GenericAbortSignal | undefined
  onAbort: () => void
}

/**
 * Requests waiting for a refresh. They are released in the order they joined
 * (the order they failed), and a waiter whose signal aborts leaves at once, in
 * constant time, without disturbing the refresh or the others.
 */
export class RequestQueue<T> {
  // a Set keeps insertion order and deletes in O(1): aborting n waiters stays linear
  #waiters = new Set<Waiter<T>>()

  /** How many requests are waiting. */
  get size(): number {
    return this.#waiters.size
  }

  /** Waits for the next `release` or `rejectAll`, or rejects when `signal` aborts. */
  wait(signal?: AbortSignal | GenericAbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new RequestCanceledError(ABORTED))
        return
      }
      const waiter: Waiter<T> = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.#waiters.delete(waiter)
          reject(new RequestCanceledError(ABORTED))
        },
      }
      signal?.addEventListener?.('abort', waiter.onAbort)
      this.#waiters.add(waiter)
    })
  }

  /** Lets every waiter go on with `value`, first in first out. */
  release(value: T): void {
    for (const waiter of this.#drain()) waiter.resolve(value)
  }

  /** Fails every waiter with `error`. */
  rejectAll(error: unknown): void {
    for (const waiter of this.#drain()) waiter.reject(error)
  }

  #drain(): Set<Waiter<T>> {
    const waiters = this.#waiters
    this.#waiters = new Set()
    for (const waiter of waiters) waiter.signal?.removeEventListener?.('abort', waiter.onAbort)
    return waiters
  }
}

/** Axios accepts signals that only look like `AbortSignal`. */
interface GenericAbortSignal {
  readonly aborted: boolean
  addEventListener?: (type: 'abort', listener: () => void) => void
  removeEventListener?: (type: 'abort', listener: () => void) => void
}
