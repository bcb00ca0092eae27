import type { StoredSession, TokenStorage } from '../engine/types'
import { parseRecord } from './record'
import type { SharedRecord, SharedStore } from './types'

/** Where a plain {@link TokenStorage} keeps the version, ledger and claim: beside the session. */
const META = 'retoken'
/** How long a write waits to read itself back from a storage whose reads lag. */
const READ_BACK_MS = 2_000

type Meta = Omit<SharedRecord, 'session'>
type StoredWithMeta = StoredSession & { [META]?: Meta }

/**
 * The shared-store protocol on a plain {@link TokenStorage} with `lock` and `subscribe`
 * (a custom storage several processes or tabs share). The version and the ledger
 * travel inside the stored object, so the storage must keep what it is given as is
 * (JSON round trips do). With a lock, a logout stores a session with no access token,
 * which reads back as logged out and keeps the version counting up; without one it
 * removes the stored session.
 *
 * Such a storage has no atomic compare-and-set: the compare runs inside its `lock`,
 * and a write waits until it can read itself back, so a storage whose reads lag
 * behind its writes shows the next lock holder what this one wrote.
 */
export function storageAsShared(storage: TokenStorage): SharedStore {
  const readRecord = async (): Promise<SharedRecord | null> => toRecord(await storage.get())

  async function readBack(version: number) {
    const deadline = Date.now() + READ_BACK_MS
    while ((await readRecord())?.version !== version && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }

  // the newest version this process wrote: a read older than that is stale, whatever it says
  let lastWritten = 0

  const store: SharedStore = {
    ...(storage.id === undefined ? {} : { id: storage.id }),
    // a full localStorage leaves this tab refreshing in memory, as it did before
    whenUnavailable: 'refresh-alone',
    emptyMeansLoggedOut: !storage.lock,
    read: readRecord,
    async write(next) {
      const current = await readRecord()
      // a read older than this process's own last write is stale; an empty one is a logout
      const stored = current === null ? 0 : Math.max(current.version, lastWritten)
      if (stored !== next.version - 1) return { written: false, current }
      const { session, ...meta } = next
      if (session === null && !storage.lock) {
        // Without a lock nothing orders writers anyway, so a logout clears the storage as
        // users expect (a logged-out page leaves nothing behind) and versions start again.
        await storage.remove()
        lastWritten = 0
        return { written: true }
      }
      await storage.set({ ...(session ?? LOGGED_OUT), [META]: meta } as StoredWithMeta)
      lastWritten = next.version
      await readBack(next.version)
      return { written: true }
    },
  }
  if (storage.subscribe) store.subscribe = (onChange) => storage.subscribe!(onChange)
  if (storage.lock) {
    const lock = storage.lock.bind(storage)
    store.lock = (task, { signal }) =>
      new Promise((resolve, reject) => {
        signal.addEventListener('abort', () => reject(signal.reason), { once: true })
        lock(async () => {
          // a waiter that gave up does nothing once its turn comes
          if (signal.aborted) return
          await task(signal).then(resolve, reject)
        }).catch(reject)
      })
  }
  return store
}

const LOGGED_OUT: StoredSession = {
  accessToken: '',
  refreshToken: null,
  expiresAt: null,
  lifetime: null,
  clockOffset: 0,
}

function toRecord(value: unknown): SharedRecord | null {
  if (typeof value !== 'object' || value === null) return null
  const { [META]: meta, ...rest } = value as StoredWithMeta
  const session = rest.accessToken ? (rest as StoredSession) : null
  // a session stored without the protocol (an older version, another writer) is version 0
  if (!meta)
    return session ? { version: 0, change: 'login', session, spent: {}, claim: null } : null
  return parseRecord({ ...meta, session })
}
