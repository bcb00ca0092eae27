import type { StoredSession } from '../engine/types'

/** What another tab changed. */
export type TabChange = 'login' | 'refresh' | 'logout'

/** A refresh token that was spent, and the session it was exchanged for. */
export interface SpentEntry {
  session: StoredSession
  at: number
}

/** The record all tabs of one app agree on; IndexedDB transactions keep it consistent across tabs. */
export interface LedgerRecord {
  /** Bumps on every change, in the order the tabs' lock granted them. */
  version: number
  change: TabChange | null
  /** The session every tab shares (shared storages and HttpOnly cookies), or `null`. */
  session: StoredSession | null
  /** Fingerprint of a spent refresh token -> what it was exchanged for. */
  spent: Record<string, SpentEntry>
}

/** Reads and updates one app's record atomically. */
export interface Ledger {
  read(): Promise<LedgerRecord>
  /** Applies `update` inside one readwrite transaction and resolves once it is durable. */
  update(update: (record: LedgerRecord) => LedgerRecord): Promise<LedgerRecord>
  /** The database, shared with the lease lock. */
  readonly db: Promise<IDBDatabase>
}

const EMPTY: LedgerRecord = { version: 0, change: null, session: null, spent: {} }
const DB_NAME = 'retoken'
export const LEDGER_STORE = 'ledger'
export const LEASE_STORE = 'leases'

/** Opens the ledger of app `name`, or returns `null` where IndexedDB does not exist. */
export function openLedger(name: string): Ledger | null {
  const factory = (globalThis as { indexedDB?: IDBFactory }).indexedDB
  if (!factory) return null
  let opened: Promise<IDBDatabase> | null = null
  const db = () => {
    opened ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(DB_NAME, 1)
      request.onupgradeneeded = () => {
        request.result.createObjectStore(LEDGER_STORE)
        request.result.createObjectStore(LEASE_STORE)
      }
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
      request.onblocked = () => reject(new Error('IndexedDB open blocked'))
    })
    return opened
  }
  const transact = async (update?: (record: LedgerRecord) => LedgerRecord) => {
    const database = await db()
    return new Promise<LedgerRecord>((resolve, reject) => {
      const tx = database.transaction(LEDGER_STORE, update ? 'readwrite' : 'readonly')
      const store = tx.objectStore(LEDGER_STORE)
      let result: LedgerRecord = EMPTY
      const get = store.get(name)
      get.onsuccess = () => {
        result = normalize(get.result)
        if (update) {
          result = update(result)
          store.put(result, name)
        }
      }
      tx.oncomplete = () => resolve(result)
      tx.onerror = () => reject(tx.error)
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'))
    })
  }
  return {
    read: () => transact(),
    update: (update) => transact(update),
    get db() {
      return db()
    },
  }
}

// another version of retoken, or a hand edit in devtools, may have left anything here
function normalize(value: unknown): LedgerRecord {
  if (typeof value !== 'object' || value === null) return EMPTY
  const record = value as Partial<LedgerRecord>
  return {
    version: typeof record.version === 'number' ? record.version : 0,
    change: record.change ?? null,
    session: typeof record.session === 'object' ? (record.session ?? null) : null,
    spent: typeof record.spent === 'object' && record.spent !== null ? record.spent : {},
  }
}

const SPENT_KEPT_MS = 24 * 60 * 60_000
const SPENT_KEPT_COUNT = 50

/** Drops spent entries nobody can still hold, so the ledger stays small. */
export function pruneSpent(spent: Record<string, SpentEntry>, now: number) {
  const kept = Object.entries(spent)
    .filter(([, entry]) => now - entry.at < SPENT_KEPT_MS)
    .sort(([, x], [, y]) => y.at - x.at)
    .slice(0, SPENT_KEPT_COUNT)
  return Object.fromEntries(kept)
}
