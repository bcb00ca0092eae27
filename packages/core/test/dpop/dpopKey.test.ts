import { indexedDB as fakeIndexedDb } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import {
  createAuth,
  createFetch,
  type DpopKeyStore,
  dpop,
  indexedDbKeyStore,
  memoryKeyStore,
  memoryStorage,
  oauthRefresh,
  type StoredSession,
} from '../../src/index'
import { useMockAuthServer } from '../harness'
import { API, dpopClient, dpopLogin } from './dpopHarness'

const ORDERS = `${API}/api/orders`

/** A key store that shows what it holds. */
function visibleStore() {
  const inner = memoryKeyStore()
  let held: CryptoKeyPair | null = null
  const store: DpopKeyStore = {
    get: () => inner.get(),
    async set(pair) {
      held = pair
      await inner.set(pair)
    },
    async remove() {
      held = null
      await inner.remove()
    },
  }
  return { store, held: () => held }
}

describe('dpop() keys', () => {
  const { server, clock } = useMockAuthServer({ dpop: {} })

  it('should refuse a stolen access token replayed without the key, as Bearer or with another key', async () => {
    const { tokens } = await dpopClient(clock)
    const asBearer = await fetch(ORDERS, {
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    })
    expect(asBearer.status).toBe(401)
    // the thief's own client, with its own key, presenting the stolen token as DPoP
    const thief = dpop()
    const thiefAuth = createAuth({
      refresh: async () => ({ accessToken: 'x' }),
      now: clock.now,
      dpop: thief,
    })
    await thief.thumbprint()
    await thiefAuth.setTokens({ ...tokens, refreshToken: null })
    const stolen = await createFetch(thiefAuth, { allowedOrigins: [API], refreshOn: [] })(ORDERS)
    expect(stolen.status).toBe(401)
    expect(stolen.headers.get('www-authenticate')).toMatch(/^DPoP error="invalid_token"/)
  })

  it('should refuse a stolen refresh token replayed without the key, and keep the real session', async () => {
    const { auth, tokens } = await dpopClient(clock)
    const form = { grant_type: 'refresh_token', refresh_token: tokens.refreshToken as string }
    const bare = await fetch(`${API}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams(form),
    })
    expect(bare.status).toBe(400)
    expect(((await bare.json()) as { error: string }).error).toBe('invalid_grant')
    const thief = dpop()
    createAuth({ refresh: async () => ({ accessToken: 'x' }), now: clock.now, dpop: thief })
    const withOtherKey = await thief.fetch(`${API}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams(form),
    })
    expect(withOtherKey.status).toBe(400)
    await expect(auth.refresh()).resolves.toEqual(expect.any(String))
    expect(server.counters.reuseDetections).toBe(0)
  })

  it('should make an ES256 key whose private half cannot be exported', async () => {
    const { store, held } = visibleStore()
    const keys = dpop({ store })
    createAuth({ refresh: async () => ({ accessToken: 'x' }), now: clock.now, dpop: keys })
    await keys.thumbprint()
    const pair = held() as CryptoKeyPair
    expect(pair.privateKey.extractable).toBe(false)
    expect(pair.privateKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' })
    await expect(crypto.subtle.exportKey('jwk', pair.privateKey)).rejects.toThrow()
  })

  it('should delete the key and the nonces before logout resolves', async () => {
    const { store, held } = visibleStore()
    const own = dpop({ store })
    const session = createAuth({
      refresh: oauthRefresh({ tokenEndpoint: `${API}/oauth/token`, clientId: 'spa' }),
      now: clock.now,
      dpop: own,
    })
    await session.setTokens(await dpopLogin(own))
    const before = await own.thumbprint()
    expect(held()).not.toBeNull()
    await session.logout()
    expect(held()).toBeNull()
    // the next login gets a new key
    expect(await own.thumbprint()).not.toBe(before)
  })

  it('should store the thumbprint with the session, and drop a session restored with another key once', async () => {
    const storage = memoryStorage()
    const { store } = visibleStore()
    const keys = dpop({ store })
    const first = createAuth({
      refresh: async () => ({ accessToken: 'x' }),
      now: clock.now,
      dpop: keys,
      storage,
    })
    await first.setTokens(await dpopLogin(keys))
    const saved = (await storage.get()) as StoredSession
    expect(saved).toMatchObject({ tokenType: 'DPoP', dpopJkt: await keys.thumbprint() })

    // another process (or a cleared IndexedDB) has no such key: the session is dropped, once
    let refreshes = 0
    const second = createAuth({
      refresh: async () => {
        refreshes += 1
        return { accessToken: 'x' }
      },
      now: clock.now,
      dpop: dpop(),
      storage,
    })
    const state = await second.restore()
    expect(state.status).toBe('unauthenticated')
    expect(await storage.get()).toBeNull()
    expect(refreshes).toBe(0)
    expect(server.counters.refreshCalls).toBe(0)

    // the same key (kept in a shared store) restores the session as it was
    await first.setTokens(await dpopLogin(keys))
    const shared = dpop({ store })
    const third = createAuth({
      refresh: async () => ({ accessToken: 'x' }),
      now: clock.now,
      dpop: shared,
      storage,
    })
    expect((await third.restore()).status).toBe('authenticated')
  })

  it('should keep one key per app and issuer in IndexedDB, found again after a reload', async () => {
    const storeA = indexedDbKeyStore('app|https://a.test', fakeIndexedDb)
    const storeB = indexedDbKeyStore('app|https://b.test', fakeIndexedDb)
    const boot = async (store: DpopKeyStore) => {
      const keys = dpop({ store })
      createAuth({ refresh: async () => ({ accessToken: 'x' }), now: clock.now, dpop: keys })
      return keys.thumbprint()
    }
    const a1 = await boot(storeA)
    // a reload: a new auth, a new store object on the same database
    const a2 = await boot(indexedDbKeyStore('app|https://a.test', fakeIndexedDb))
    const b1 = await boot(storeB)
    expect(a2).toBe(a1)
    expect(b1).not.toBe(a1)
    const stored = (await storeA.get()) as CryptoKeyPair
    expect(stored.privateKey.extractable).toBe(false)
  })
})
