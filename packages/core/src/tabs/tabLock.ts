import { LEASE_STORE } from './ledger'

/** Runs `task` while no other tab of the app runs one; rejects if `signal` aborts first. */
export type TabLock = <T>(signal: AbortSignal, task: () => Promise<T>) => Promise<T>

interface LockManagerLike {
  request<T>(name: string, options: { signal: AbortSignal }, task: () => Promise<T>): Promise<T>
}

/** The browser's Web Lock: released by the browser when the tab closes or crashes. */
export function webLock(locks: LockManagerLike, name: string): TabLock {
  return (signal, task) => locks.request(name, { signal }, task)
}

const RECHECK_MS = 50

interface Lease {
  owner: string
  until: number
}

/**
 * A lease in IndexedDB, for origins without `navigator.locks` (insecure origins,
 * Safari before 15.4). A tab that closes while holding it cannot release it, so
 * the lease expires after `leaseMs`; waiters wake when a holder announces the
 * release on `wake`, or when the lease runs out.
 */
export function leaseLock(
  db: Promise<IDBDatabase>,
  name: string,
  leaseMs: number,
  wake: { announce(): void; listen(onWake: () => void): () => void },
): TabLock {
  const owner = Math.random().toString(36).slice(2)
  const attempt = async (): Promise<number> => {
    const database = await db
    return new Promise<number>((resolve, reject) => {
      const tx = database.transaction(LEASE_STORE, 'readwrite')
      const store = tx.objectStore(LEASE_STORE)
      let waitMs = 0
      const get = store.get(name)
      get.onsuccess = () => {
        const lease = get.result as Lease | undefined
        const now = Date.now()
        if (lease && lease.owner !== owner && lease.until > now) waitMs = lease.until - now
        else store.put({ owner, until: now + leaseMs } satisfies Lease, name)
      }
      tx.oncomplete = () => resolve(waitMs)
      tx.onerror = () => reject(tx.error)
    })
  }
  const release = async () => {
    const database = await db
    await new Promise<void>((resolve) => {
      const tx = database.transaction(LEASE_STORE, 'readwrite')
      const store = tx.objectStore(LEASE_STORE)
      const get = store.get(name)
      get.onsuccess = () => {
        if ((get.result as Lease | undefined)?.owner === owner) store.delete(name)
      }
      tx.oncomplete = tx.onerror = () => resolve()
    })
    wake.announce()
  }
  return async (signal, task) => {
    for (;;) {
      signal.throwIfAborted()
      const waitMs = await attempt()
      if (waitMs === 0) break
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer)
          stop()
          signal.removeEventListener('abort', done)
          resolve()
        }
        // a release announced between the attempt and this listener would be missed:
        // look again soon whatever happens
        const timer = setTimeout(done, Math.min(waitMs, RECHECK_MS))
        const stop = wake.listen(done)
        signal.addEventListener('abort', done)
      })
    }
    try {
      return await task()
    } finally {
      await release()
    }
  }
}
