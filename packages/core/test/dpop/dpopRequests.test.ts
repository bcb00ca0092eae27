import axios from 'axios'
import { describe, expect, it } from 'vitest'
import { build } from '#dev'
import { createAuth, createFetch, dpop, isInvalidTokenError, oauthRefresh } from '../../src/index'
import { useMockAuthServer } from '../harness'
import { API, decode, dpopClient, dpopLogin, expireOnServer, recordSent } from './dpopHarness'

const ORDERS = `${API}/api/orders`

describe('dpop() on requests', () => {
  // the tests expire a token by moving the server's clock 61 s ahead; a 120 s iat window
  // lets the proofs dated before the client learns of it pass
  const { server, network, clock } = useMockAuthServer({ dpop: { iatWindowSeconds: 120 } })

  it('should send DPoP-bound tokens with the DPoP scheme and a fresh proof, through Axios and fetch', async () => {
    const { api, authFetch, tokens } = await dpopClient(clock)
    expect(tokens.tokenType).toBe('DPoP')
    const sent = recordSent(network)
    expect((await api.get('/api/orders', { params: { page: 2 } })).status).toBe(200)
    expect((await authFetch(`${ORDERS}?page=3#top`)).status).toBe(200)
    expect(sent).toHaveLength(2)
    const jtis = new Set<string>()
    for (const { authorization, proof } of sent) {
      expect(authorization).toBe(`DPoP ${tokens.accessToken}`)
      const { header, payload } = decode(proof as string)
      expect(header).toMatchObject({
        typ: 'dpop+jwt',
        alg: 'ES256',
        jwk: { kty: 'EC', crv: 'P-256' },
      })
      expect(header.jwk.d).toBeUndefined()
      expect(payload).toMatchObject({ htm: 'GET', htu: ORDERS, iat: clock.now() / 1000 })
      expect(payload.ath).toMatch(/^[\w-]{43}$/)
      jtis.add(payload.jti)
    }
    expect(jtis.size).toBe(2)
    expect(server.counters.dpopProofRejections).toBe(0)
  })

  it('should refresh once for a burst of 401s, with a proof on the refresh and a fresh one on every retry', async () => {
    const { api, authFetch } = await dpopClient(clock)
    const sent = recordSent(network)
    expireOnServer(server)
    const results = await Promise.all([
      ...Array.from({ length: 5 }, () => api.get('/api/orders').then((r) => r.status)),
      ...Array.from({ length: 5 }, () => authFetch(ORDERS).then((r) => r.status)),
    ])
    expect(results).toEqual(Array(10).fill(200))
    expect(server.counters.refreshCalls).toBe(1)
    expect(server.counters.requestsByRoute['GET /api/orders']).toBe(20)
    const refresh = sent.filter((s) => s.url.endsWith('/oauth/token'))
    expect(refresh).toHaveLength(1)
    expect(decode(refresh[0]?.proof as string).payload).toMatchObject({
      htm: 'POST',
      htu: `${API}/oauth/token`,
    })
    expect(decode(refresh[0]?.proof as string).payload.ath).toBeUndefined()
    const proofs = sent.map((s) => decode(s.proof as string).payload.jti)
    expect(new Set(proofs).size).toBe(sent.length)
    // the refreshed token is bound too, and the retries presented it as DPoP
    const retried = sent.slice(-10)
    expect(retried.every((s) => s.authorization?.startsWith('DPoP '))).toBe(true)
    expect(server.counters.dpopProofRejections).toBe(0)
  })

  it("should date proofs on the server's clock when the client's clock is 20 minutes off", async () => {
    const keys = dpop()
    const auth = createAuth({
      refresh: oauthRefresh({ tokenEndpoint: `${API}/oauth/token`, clientId: 'spa' }),
      now: () => clock.now() - 20 * 60_000,
      dpop: keys,
    })
    const authFetch = createFetch(auth, { allowedOrigins: [API] })
    // bound at login (no proof is needed to learn the skew: the tokens' iat tells it)
    await auth.setTokens(await server.issueTokens(undefined, { jkt: await keys.thumbprint() }))
    const sent = recordSent(network)
    expect((await authFetch(ORDERS)).status).toBe(200)
    await auth.refresh()
    expect(decode(sent[0]?.proof as string).payload.iat).toBe(clock.now() / 1000)
    expect(decode(sent[1]?.proof as string).payload.iat).toBe(clock.now() / 1000)
    expect(server.counters.dpopProofRejections).toBe(0)
  })

  it('should give a hand-written refresh a helper that sends its call with a proof', async () => {
    const keys = dpop()
    const auth = createAuth({
      refresh: async ({ refreshToken, signal, dpop: helper }) => {
        const response = await (helper as NonNullable<typeof helper>).fetch(`${API}/auth/refresh`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ refreshToken }),
          signal,
        })
        if (!response.ok)
          throw Object.assign(new Error('refresh failed'), { status: response.status })
        return response.json()
      },
      now: clock.now,
      dpop: keys,
    })
    await auth.setTokens(await dpopLogin(keys))
    const authFetch = createFetch(auth, { allowedOrigins: [API] })
    expireOnServer(server)
    expect((await authFetch(ORDERS)).status).toBe(200)
    expect(server.counters.refreshCalls).toBe(1)
    expect(decode(auth.getState().accessToken as string).payload.cnf.jkt).toBe(
      await keys.thumbprint(),
    )
  })

  it('should never send a proof or the token to an origin that is not allowed', async () => {
    const { api } = await dpopClient(clock)
    const sent = recordSent(network)
    network.use(
      (await import('msw')).http.get('https://elsewhere.test/x', () => new Response('{}')),
    )
    await api.get('https://elsewhere.test/x')
    expect(sent[0]).toMatchObject({ authorization: null, proof: null })
  })

  it('should refuse DPoP tokens without dpop(), and take tokenType only as Bearer or DPoP', async () => {
    const keys = dpop()
    const withKeys = createAuth({
      refresh: async () => ({ accessToken: 'x' }),
      now: clock.now,
      dpop: keys,
    })
    const tokens = await dpopLogin(keys)
    withKeys.destroy()
    const plain = createAuth({ refresh: async () => ({ accessToken: 'x' }), now: clock.now })
    const error = await plain.setTokens(tokens).catch((e: unknown) => e)
    expect(isInvalidTokenError(error) && error.reason).toBe('bad-token-type')
    // development explains the code; production's message is the code
    expect(isInvalidTokenError(error) && error.message).toContain(
      build === 'development' ? "'DPoP' with createAuth({ dpop: dpop() })" : 'bad-token-type',
    )
    const odd = await plain
      .setTokens({ ...tokens, tokenType: 'mac' as 'DPoP' })
      .catch((e: unknown) => e)
    expect(isInvalidTokenError(odd)).toBe(true)
  })
})

describe('dpop() against a server without DPoP', () => {
  const { network, clock } = useMockAuthServer()

  it('should send Bearer tokens as Bearer, with no proof', async () => {
    const keys = dpop()
    const auth = createAuth({
      refresh: oauthRefresh({ tokenEndpoint: `${API}/oauth/token`, clientId: 'spa' }),
      now: clock.now,
      dpop: keys,
    })
    const api = axios.create({ baseURL: API })
    auth.attach(api)
    const tokens = await dpopLogin(keys)
    expect(tokens.tokenType).toBeUndefined()
    await auth.setTokens(tokens)
    const sent = recordSent(network)
    await api.get('/api/orders')
    await auth.refresh()
    expect(sent[0]).toMatchObject({ authorization: `Bearer ${tokens.accessToken}`, proof: null })
    // the refresh call still carries a proof: a server without DPoP ignores it
    expect(sent[1]?.proof).not.toBeNull()
    expect(auth.getState().status).toBe('authenticated')
  })
})
