import { randomBytes } from 'node:crypto'
import axios from 'axios'
import ky from 'ky'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Auth,
  createAuth,
  createFetch,
  dpop,
  memoryStorage,
  oauthRefresh,
  type StoredSession,
} from '../../src/index'
import { providerClientId, type RunningProvider, startProvider } from './oidcProvider'

const BURST = 10

const transports = {
  axios(auth: Auth, api: string) {
    const instance = axios.create({ baseURL: api })
    auth.attach(instance)
    return async () => (await instance.get('/api/orders')).status
  },
  fetch(auth: Auth, api: string) {
    const authFetch = createFetch(auth, { allowedOrigins: [api] })
    return async () => (await authFetch(`${api}/api/orders`)).status
  },
  ky(auth: Auth, api: string) {
    const client = ky.create({
      prefixUrl: api,
      fetch: createFetch(auth, { allowedOrigins: [api] }),
    })
    return async () => (await client.get('api/orders')).status
  },
}

describe.each([
  ['without nonces', false],
  ['with nonces required', true],
])('oauthRefresh with dpop() against oidc-provider (rotation on, %s)', (_, requireNonce) => {
  let op: RunningProvider
  beforeAll(async () => {
    op = await startProvider({
      features: {
        dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => requireNonce },
      },
    })
  })
  afterAll(() => op.close())

  it.each(Object.keys(transports) as (keyof typeof transports)[])(
    'should bind the tokens, refresh once per burst of 401s through %s, retry each once and never reuse',
    async (name) => {
      const before = { ...op.counters, resourceRequests: { ...op.counters.resourceRequests } }
      const keys = dpop()
      const storage = memoryStorage()
      const auth = createAuth({
        storage,
        refresh: oauthRefresh({ issuer: op.issuer, clientId: providerClientId }),
        tokenFormat: 'opaque',
        dpop: keys,
      })
      // the code exchange carries a proof, so the provider binds both tokens to the key
      const login = await op.login('user-1', (url, init) => keys.fetch(url, init))
      expect(login.token_type).toBe('DPoP')
      await auth.setTokens({
        accessToken: login.access_token,
        refreshToken: login.refresh_token,
        expiresIn: login.expires_in,
        tokenType: 'DPoP',
      })
      const send = transports[name](auth, op.api)

      for (const round of [1, 2]) {
        const token = auth.getState().accessToken as string
        await op.expire(token)
        const statuses = await Promise.all(Array.from({ length: BURST }, send))
        const counts = {
          round,
          refreshes: op.counters.refreshes - before.refreshes,
          refused: (op.counters.resourceRequests[401] ?? 0) - (before.resourceRequests[401] ?? 0),
          reuse: op.counters.reuse - before.reuse,
          dpopRefusals: op.counters.dpopRefusals - before.dpopRefusals,
        }
        console.info(
          `[oidc-provider DPoP ${requireNonce ? 'nonce' : 'no nonce'} ${name}]`,
          JSON.stringify(counts),
        )
        expect(statuses).toEqual(Array(BURST).fill(200))
        expect(counts).toEqual({
          round,
          refreshes: round,
          refused: BURST * round,
          reuse: 0,
          dpopRefusals: 0,
        })
      }
      expect(op.counters.refusedRefreshes - before.refusedRefreshes).toBe(0)

      // the refresh token is bound: without the key the provider refuses it
      const stolen = await fetch(`${op.issuer}/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: ((await storage.get()) as StoredSession).refreshToken as string,
          client_id: providerClientId,
        }),
      })
      expect(stolen.status).toBe(400)
      auth.destroy()
    },
  )
})
