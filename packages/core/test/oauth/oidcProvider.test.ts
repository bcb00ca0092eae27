import axios from 'axios'
import ky from 'ky'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Auth, createAuth, createFetch, oauthRefresh, type TokenSet } from '../../src/index'
import { providerClientId, type RunningProvider, startProvider } from './oidcProvider'

const BURST = 10

/** Three ways of sending a request through retoken: Axios, fetch and ky over fetch. */
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

describe('oauthRefresh against oidc-provider (refresh-token rotation on)', () => {
  let op: RunningProvider
  beforeAll(async () => {
    op = await startProvider()
  })
  afterAll(() => op.close())

  it.each(Object.keys(transports) as (keyof typeof transports)[])(
    'should refresh once per burst of 401s through %s, retry every request once and never reuse',
    async (name) => {
      const before = { ...op.counters, resourceRequests: { ...op.counters.resourceRequests } }
      const login = await op.login()
      const auth = createAuth({
        refresh: oauthRefresh({ issuer: op.issuer, clientId: providerClientId }),
        // oidc-provider's access tokens are opaque: their lifetime comes from expires_in
        tokenFormat: 'opaque',
      })
      const tokens: TokenSet = {
        accessToken: login.access_token,
        refreshToken: login.refresh_token,
        expiresIn: login.expires_in,
      }
      await auth.setTokens(tokens)
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
        }
        console.info(`[oidc-provider ${name}]`, JSON.stringify(counts))
        expect(statuses).toEqual(Array(BURST).fill(200))
        expect(counts).toEqual({ round, refreshes: round, refused: BURST * round, reuse: 0 })
        expect(auth.getState().accessToken).not.toBe(token)
      }
      expect(op.counters.refusedRefreshes - before.refusedRefreshes).toBe(0)
      auth.destroy()
    },
  )

  it('should end the session when the provider refuses the grant (invalid_grant)', async () => {
    const login = await op.login()
    const auth = createAuth({
      refresh: oauthRefresh({ issuer: op.issuer, clientId: providerClientId }),
      tokenFormat: 'opaque',
    })
    await auth.setTokens({ accessToken: login.access_token, refreshToken: login.refresh_token })
    // spend the refresh token behind retoken's back, so the one it holds is reuse
    const rotated = await fetch(`${op.issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: login.refresh_token,
        client_id: providerClientId,
      }),
    })
    expect(rotated.status).toBe(200)
    const error = await auth.refresh().catch((e: unknown) => e)
    expect((error as Error).name).toBe('SessionExpiredError')
    expect(auth.getState().status).toBe('unauthenticated')
    expect(String((error as { cause: unknown }).cause)).not.toContain(login.refresh_token)
  })
})
