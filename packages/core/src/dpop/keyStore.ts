/** Where the DPoP key pair lives; any method may be async. See `dpop({ store })`. */
export interface DpopKeyStore {
  /** The stored key pair, or `null`. */
  get(): Promise<CryptoKeyPair | null> | CryptoKeyPair | null
  /** Keeps the key pair. */
  set(pair: CryptoKeyPair): Promise<void> | void
  /** Forgets it (logout). */
  remove(): Promise<void> | void
}

/** Keeps the key pair in this process only: the default in Node and wherever IndexedDB is missing. */
export function memoryKeyStore(): DpopKeyStore {
  let pair: CryptoKeyPair | null = null
  return {
    get: () => pair,
    set(next) {
      pair = next
    },
    remove() {
      pair = null
    },
  }
}

const DB = 'retoken-dpop'
const STORE = 'keys'

/**
 * Keeps the key pair in IndexedDB under `id`: a `CryptoKey` is stored as is (structured
 * clone), so the private key stays non-extractable and survives reloads, and every tab
 * of the origin finds the same one.
 */
export function indexedDbKeyStore(id: string, factory: IDBFactory = indexedDB): DpopKeyStore {
  let db: Promise<IDBDatabase> | null = null
  const open = () => {
    db ??= new Promise((resolve, reject) => {
      const request = factory.open(DB, 1)
      request.onupgradeneeded = () => request.result.createObjectStore(STORE)
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
    })
    return db
  }
  const run = async <T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest) => {
    const database = await open()
    return new Promise<T>((resolve, reject) => {
      const tx = database.transaction(STORE, mode)
      const request = work(tx.objectStore(STORE))
      tx.oncomplete = () => resolve(request.result as T)
      tx.onerror = () => reject(tx.error)
      tx.onabort = () => reject(tx.error)
    })
  }
  return {
    get: async () => (await run<CryptoKeyPair | undefined>('readonly', (s) => s.get(id))) ?? null,
    set: (pair) => run('readwrite', (s) => s.put(pair, id)),
    remove: () => run('readwrite', (s) => s.delete(id)),
  }
}
