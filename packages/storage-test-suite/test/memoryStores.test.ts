import type { SharedRecord, SharedStore, StoredSession, TokenStorage } from '@retoken/core'
import { webStorage } from '@retoken/core'
import { storageTestSuite } from '../src/index'

/**
 * Two in-memory stores that run the suite on themselves: a SharedStore with an
 * atomic write (what Redis or a database row gives), and a plain TokenStorage with
 * a FIFO lock and change notifications (what a hand-written storage gives). They
 * prove the suite can pass; the shipped storages prove themselves in their packages.
 */
const sharedPlaces = new Map<string, { record: SharedRecord | null; listeners: Set<() => void> }>()

function memorySharedStore(name: string): SharedStore {
  const place = sharedPlaces.get(name) ?? { record: null, listeners: new Set() }
  sharedPlaces.set(name, place)
  return {
    id: `memory:${name}`,
    read: async () => place.record,
    async write(next) {
      if ((place.record?.version ?? 0) !== next.version - 1) {
        return { written: false, current: place.record }
      }
      place.record = structuredClone(next)
      queueMicrotask(() => {
        for (const listener of place.listeners) listener()
      })
      return { written: true }
    },
    subscribe(onChange) {
      place.listeners.add(onChange)
      return () => place.listeners.delete(onChange)
    },
  }
}

const plainPlaces = new Map<
  string,
  { value: StoredSession | null; listeners: Set<() => void>; queue: Promise<unknown> }
>()

function lockedTokenStorage(name: string): TokenStorage {
  const place = plainPlaces.get(name) ?? {
    value: null,
    listeners: new Set(),
    queue: Promise.resolve(),
  }
  plainPlaces.set(name, place)
  const notify = () =>
    queueMicrotask(() => {
      for (const listener of place.listeners) listener()
    })
  return {
    get: async () => (place.value ? structuredClone(place.value) : null),
    async set(session) {
      place.value = structuredClone(session)
      notify()
    },
    async remove() {
      place.value = null
      notify()
    },
    subscribe(onChange) {
      place.listeners.add(onChange)
      return () => place.listeners.delete(onChange)
    },
    lock<T>(task: () => Promise<T>) {
      const run = place.queue.then(task, task)
      place.queue = run.catch(() => {})
      return run
    },
  }
}

storageTestSuite('an in-memory SharedStore', memorySharedStore)
storageTestSuite('a TokenStorage with lock() and subscribe()', lockedTokenStorage)

// webStorage() where a page has no IndexedDB: the clients of one origin share one
// Storage object (a Map here, as localStorage is one per origin).
const origins = new Map<string, Map<string, string>>()
storageTestSuite(
  'webStorage() on a shared Storage, without IndexedDB',
  (name) => {
    const map = origins.get(name) ?? new Map<string, string>()
    origins.set(name, map)
    return webStorage(
      {
        getItem: (key) => map.get(key) ?? null,
        setItem: (key, value) => void map.set(key, value),
        removeItem: (key) => void map.delete(key),
      },
      'app',
    )
  },
  // Without a window there is no storage event to follow. Without a lock or an atomic
  // write nothing can make a lagging read safe: browsers get IndexedDB's ledger for that.
  { follows: false, laggingReads: false },
)
