import { CanceledError } from 'axios'

interface Waiter<T> {
  resolve(value: T): void
  reject(error: unknown): void
  cleanup(): void
}

/**
 * Requests waiting for a refresh. They are released in the order they joined
 * (the order they failed), and a waiter whose signal aborts leaves at once with
 * Axios' cancel error without disturbing the refresh or the others.
 */
export class RequestQueue<T> {
  #waiters: Waiter<T>[] = []

  /** How many requests are waiting. */
  get size(): number {
    return this.#waiters.length
  }

  /** Waits for the next `release` or `rejectAll`, or rejects when `signal` aborts. */
  wait(signal?: AbortSignal | GenericAbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new CanceledError('Request aborted while waiting for a token refresh'))
        return
      }
      const onAbort = () => {
        this.#waiters = this.#waiters.filter((entry) => entry !== waiter)
        reject(new CanceledError('Request aborted while waiting for a token refresh'))
      }
      const waiter: Waiter<T> = {
        resolve,
        reject,
        cleanup: () => signal?.removeEventListener?.('abort', onAbort),
      }
      signal?.addEventListener?.('abort', onAbort)
      this.#waiters.push(waiter)
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

  #drain(): Waiter<T>[] {
    const waiters = this.#waiters
    this.#waiters = []
    for (const waiter of waiters) waiter.cleanup()
    return waiters
  }
}

/** Axios accepts signals that only look like `AbortSignal`. */
interface GenericAbortSignal {
  readonly aborted: boolean
  addEventListener?: (type: 'abort', listener: () => void) => void
  removeEventListener?: (type: 'abort', listener: () => void) => void
}
