/** How often a process waiting for another's refresh looks again when no notification came. */
export const POLL_MS = 100

/** Waiters for the next change notification, each also woken by a poll interval. */
export function createWakeups() {
  const wakers = new Set<() => void>()
  return {
    /** Resolves on the next {@link wakeAll}, after a poll interval, or at `until`; rejects when `signal` aborts. */
    wait(signal: AbortSignal, until: number): Promise<void> {
      const wait = Math.max(1, Math.min(POLL_MS, until - Date.now()))
      return new Promise<void>((resolve, reject) => {
        const done = () => {
          clearTimeout(timer)
          wakers.delete(done)
          signal.removeEventListener('abort', abort)
          resolve()
        }
        const abort = () => {
          done()
          reject(signal.reason)
        }
        const timer = setTimeout(done, wait)
        wakers.add(done)
        signal.addEventListener('abort', abort, { once: true })
      })
    },
    /** Wakes every waiter: something changed. */
    wakeAll() {
      for (const wake of [...wakers]) wake()
    },
  }
}
