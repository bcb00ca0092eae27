import { describe, expect, it } from 'vitest'
import { isDpopNonceError, isRefreshFailedError } from '../../src/index'
import { useMockAuthServer } from '../harness'
import { API, decode, dpopClient, recordSent } from './dpopHarness'

const ORDERS = `${API}/api/orders`

describe('dpop() nonces at a resource server', () => {
  const { server, network, clock } = useMockAuthServer({
    // 120 s: the tests expire tokens by moving the server's clock 61 s ahead
    dpop: { nonce: { resource: true }, iatWindowSeconds: 120 },
  })

  it('should resend once with the nonce a 401 use_dpop_nonce gives, without refreshing', async () => {
    const { api, authFetch } = await dpopClient(clock)
    const sent = recordSent(network)
    expect((await api.get('/api/orders')).status).toBe(200)
    expect(server.counters.dpopNonceChallenges).toBe(1)
    expect(server.counters.refreshCalls).toBe(0)
    expect(decode(sent[0]?.proof as string).payload.nonce).toBeUndefined()
    const nonce = decode(sent[1]?.proof as string).payload.nonce
    expect(nonce).toEqual(expect.any(String))
    // the nonce is kept for the origin, whichever transport sends next
    expect((await authFetch(ORDERS)).status).toBe(200)
    expect(decode(sent[2]?.proof as string).payload.nonce).toBe(nonce)
    expect(server.counters.dpopNonceChallenges).toBe(1)
  })

  it('should take the next nonce from any answer, 200s too', async () => {
    const { authFetch } = await dpopClient(clock)
    await authFetch(ORDERS)
    for (let round = 0; round < 3; round++) {
      // the server moves on and keeps accepting the nonce before: only a client that
      // read the new one from the last 200 is never asked again
      server.faults.rotateDpopNonce()
      expect((await authFetch(ORDERS)).status).toBe(200)
    }
    expect(server.counters.dpopNonceChallenges).toBe(1)
  })

  it('should keep the nonce retry apart from the refresh retry', async () => {
    const { authFetch } = await dpopClient(clock)
    await authFetch(ORDERS)
    // the nonce moves on twice while the refresh runs, so the retry after it is asked for a new one
    network.events.on('request:start', ({ request }) => {
      if (!request.url.endsWith('/oauth/token')) return
      server.faults.rotateDpopNonce()
      server.faults.rotateDpopNonce()
    })
    server.clock.setOffset(61)
    expect((await authFetch(ORDERS)).status).toBe(200)
    expect(server.counters.refreshCalls).toBe(1)
    // the first request's challenge, then the retry's: refused token, retry, nonce resend
    expect(server.counters.dpopNonceChallenges).toBe(2)
    expect(server.counters.requestsByRoute['GET /api/orders']).toBe(5)
  })

  it('should give up with DpopNonceError when the server keeps asking, through fetch and Axios', async () => {
    const { api, authFetch } = await dpopClient(clock)
    server.faults.churnDpopNonces(true)
    const viaFetch = await authFetch(ORDERS).catch((e: unknown) => e)
    expect(isDpopNonceError(viaFetch)).toBe(true)
    expect(server.counters.dpopNonceChallenges).toBe(2)
    const viaAxios = await api.get('/api/orders').catch((e: unknown) => e)
    expect(isDpopNonceError(viaAxios)).toBe(true)
    expect(server.counters.dpopNonceChallenges).toBe(4)
    expect(server.counters.refreshCalls).toBe(0)
  })
})

describe('dpop() nonces at the authorization server', () => {
  const { server, network, clock } = useMockAuthServer({
    dpop: { nonce: { authorization: true }, iatWindowSeconds: 120 },
  })

  it('should resend the login and the refresh once with a new nonce, which is not reuse', async () => {
    const { auth, authFetch } = await dpopClient(clock)
    // the login was asked for a nonce once and resent
    expect(server.counters.dpopNonceChallenges).toBe(1)
    const sent = recordSent(network)
    // two rotations make the nonce the client holds unacceptable
    server.faults.rotateDpopNonce()
    server.faults.rotateDpopNonce()
    server.clock.setOffset(61)
    expect((await authFetch(ORDERS)).status).toBe(200)
    const refreshes = sent.filter((s) => s.url.endsWith('/oauth/token'))
    expect(refreshes).toHaveLength(2)
    // the same refresh token went twice; the server refused the first before spending it
    expect(server.counters.refreshCalls).toBe(1)
    expect(server.counters.reuseDetections).toBe(0)
    expect(server.counters.dpopNonceChallenges).toBe(2)
    await expect(auth.refresh()).resolves.toEqual(expect.any(String))
    expect(server.counters.reuseDetections).toBe(0)
  })

  it('should fail the refresh for now (session kept) when the server keeps asking', async () => {
    const { auth } = await dpopClient(clock)
    server.faults.churnDpopNonces(true)
    const error = await auth.refresh().catch((e: unknown) => e)
    expect(isRefreshFailedError(error)).toBe(true)
    expect(isDpopNonceError((error as { cause: unknown }).cause)).toBe(true)
    expect(auth.getState().status).toBe('authenticated')
    server.faults.churnDpopNonces(false)
    await expect(auth.refresh()).resolves.toEqual(expect.any(String))
    expect(server.counters.reuseDetections).toBe(0)
  })
})
