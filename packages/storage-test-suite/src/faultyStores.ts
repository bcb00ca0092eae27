import type { SharedRecord, SharedStore, StoredSession, TokenStorage } from '@retoken/core'

/** What a suite factory may return: a shared store, or a storage with its own coordination. */
export type SuiteStorage = SharedStore | TokenStorage

/** Whether a factory returned a {@link SharedStore} (atomic writes) rather than a plain storage. */
export const isSharedStore = (value: SuiteStorage): value is SharedStore =>
  typeof (value as SharedStore).write === 'function' &&
  typeof (value as SharedStore).read === 'function'

/**
 * Reads that show the store as it was `lagMs` ago, as a read replica, a globally
 * replicated key-value store or a cache in front of the database would. Writes go
 * to the real thing, as they do there.
 */
export function laggingReads<T extends SuiteStorage>(store: T, lagMs: number): T {
  const history: { at: number; value: unknown }[] = []
  const lagged = async (read: () => Promise<unknown>) => {
    const value = await read()
    const last = history[history.length - 1]
    if (!last || JSON.stringify(last.value) !== JSON.stringify(value)) {
      history.push({ at: Date.now(), value })
    }
    const cutoff = Date.now() - lagMs
    // the newest value that was already there lagMs ago; the first one seen otherwise
    const shown = [...history].reverse().find((entry) => entry.at <= cutoff) ?? history[0]
    return shown?.value
  }
  if (isSharedStore(store)) {
    const read = store.read.bind(store)
    return { ...store, read: () => lagged(read) as Promise<SharedRecord | null> } as T
  }
  const get = store.get.bind(store)
  return {
    ...store,
    get: () => lagged(async () => get()) as Promise<StoredSession | null>,
  } as T
}

/** Makes the next `count` writes fail, as a full disk, a dropped connection or a quota would. */
export function failingWrites<T extends SuiteStorage>(
  store: T,
): { store: T; failNext(count: number): void } {
  let failures = 0
  const fail = () => {
    failures -= 1
    throw new Error('storage write failed (injected by the test suite)')
  }
  if (isSharedStore(store)) {
    const write = store.write.bind(store)
    const wrapped = {
      ...store,
      write: async (next: SharedRecord) => (failures > 0 ? fail() : write(next)),
    } as T
    return {
      store: wrapped,
      failNext(count: number) {
        failures = count
      },
    }
  }
  const set = store.set.bind(store)
  const wrapped = {
    ...store,
    set: async (session: StoredSession) => (failures > 0 ? fail() : set(session)),
  } as T
  return {
    store: wrapped,
    failNext(count: number) {
      failures = count
    },
  }
}
