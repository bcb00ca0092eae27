import type { DpopKeyStore } from './keyStore'
import { publicJwk, thumbprintOf } from './proof'

/** The key pair as proofs need it: the pair, its public JWK and its RFC 7638 thumbprint. */
export interface LoadedKey {
  pair: CryptoKeyPair
  jwk: JsonWebKey
  jkt: string
}

/** Loads the key once and keeps it, until logout deletes it or another tab changed it. */
export interface KeyHolder {
  /** The thumbprint, once the key is loaded; `null` before. */
  readonly jkt: string | null
  load(): Promise<LoadedKey>
  /** Deletes the key (unless the app owns it) and forgets it. */
  clear(): Promise<void>
  /** Forgets the cached key, so the next load reads the store again. */
  reload(): void
}

/** Holds the key of one `auth`: the app's own pair, or one read from (or created in) `store`. */
export function createKeyHolder(
  id: string,
  store: DpopKeyStore,
  keyPair: CryptoKeyPair | (() => Promise<CryptoKeyPair>) | undefined,
): KeyHolder {
  let loading: Promise<LoadedKey> | null = null
  let jkt: string | null = null
  return {
    get jkt() {
      return jkt
    },
    load() {
      loading ??= (async () => {
        const pair = keyPair
          ? typeof keyPair === 'function'
            ? await keyPair()
            : keyPair
          : await underTabLock(`retoken-dpop:${id}`, () => obtain(store))
        const jwk = await publicJwk(pair.publicKey)
        jkt = await thumbprintOf(jwk)
        return { pair, jwk, jkt }
      })().catch((error) => {
        loading = null
        throw error
      })
      return loading
    },
    async clear() {
      loading = null
      jkt = null
      if (!keyPair) await store.remove()
    },
    reload() {
      loading = null
    },
  }
}

/** The stored key pair, or a new one: ES256 with a private key that can never be exported. */
async function obtain(store: DpopKeyStore): Promise<CryptoKeyPair> {
  const stored = await store.get()
  if (stored) return stored
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ])
  await store.set(pair)
  return pair
}

interface LocksLike {
  request<T>(name: string, task: () => Promise<T>): Promise<T>
}

// Two tabs creating a key at once would bind their sessions to different keys: the
// first tab to get the lock creates it, the others find it stored.
function underTabLock<T>(name: string, task: () => Promise<T>): Promise<T> {
  const locks = (globalThis as { navigator?: { locks?: LocksLike } }).navigator?.locks
  return locks ? locks.request(name, task) : task()
}
