import { describe, expect, it } from 'vitest'
import { createAuth, memoryStorage } from '../src/index'
import { loggedInClient, recordEvents, refreshWithAxios, useMockAuthServer } from './harness'

describe('proactive renewal', () => {
  const { server, clock } = useMockAuthServer()

  it('should renew once before expiry so steady traffic never meets an expired token', async () => {
    const { api } = await loggedInClient(server, clock)
    // five minutes of traffic, one request every 5 s, with 60 s tokens
    for (let second = 0; second < 300; second += 5) {
      await Promise.all([api.get('/api/echo'), api.get('/api/orders')])
      clock.advance(5)
    }
    expect(server.counters.expiredTokenRequests).toBe(0)
    // default margin: 20% of 60 s, so a renewal about every 48 s
    expect(server.counters.refreshCalls).toBeGreaterThanOrEqual(5)
    expect(server.counters.refreshCalls).toBeLessThanOrEqual(7)
  })

  it('should make concurrent requests near expiry share one refresh', async () => {
    const { api, auth } = await loggedInClient(server, clock)
    const events = recordEvents(auth)
    clock.advance(50)
    await Promise.all(Array.from({ length: 20 }, () => api.get('/api/echo')))
    expect(server.counters.refreshCalls).toBe(1)
    expect(events.filter((e) => e === 'refreshStarted')).toHaveLength(1)
    expect(server.counters.expiredTokenRequests).toBe(0)
  })

  it('should send the still-valid token when a renewal fails for now', async () => {
    const { api, auth } = await loggedInClient(server, clock)
    const token = auth.getState().accessToken
    clock.advance(50)
    server.faults.failNextRefresh(1, 'server-error')
    const response = await api.get('/api/echo')
    expect(response.data.headers.authorization).toBe(`Bearer ${token}`)
    expect(auth.getState().status).toBe('authenticated')
  })
})

describe('clock skew', () => {
  const { server, clock } = useMockAuthServer()

  it.each([
    ['20 minutes ahead of', 20 * 60],
    ['20 minutes behind', -20 * 60],
  ])('should neither log out nor storm when the client clock is %s the server', async (_, skew) => {
    const skewedClient = { ...clock, now: () => clock.now() + skew * 1000 }
    const { api, auth } = await loggedInClient(server, skewedClient)
    for (let second = 0; second < 600; second += 10) {
      await api.get('/api/echo')
      clock.advance(10)
    }
    expect(auth.getState().status).toBe('authenticated')
    expect(server.counters.expiredTokenRequests).toBe(0)
    // 10 minutes of 60 s tokens renewed at 48 s: about 13 refreshes, not one per request
    expect(server.counters.refreshCalls).toBeGreaterThanOrEqual(10)
    expect(server.counters.refreshCalls).toBeLessThanOrEqual(15)
  })

  it('should judge a restored token by the offset stored with it, not by its age', async () => {
    const storage = memoryStorage()
    const skewedClient = { ...clock, now: () => clock.now() + 20 * 60_000 }
    await loggedInClient(server, skewedClient, { storage })
    clock.advance(10)
    // a new page load 10 s later, same skewed clock: the token is still good
    const auth = createAuth({ refresh: refreshWithAxios, now: skewedClient.now, storage })
    expect(auth.getState().status).toBe('authenticated')
    await auth.getAccessToken()
    expect(server.counters.refreshCalls).toBe(0)
  })

  it('should send, not refresh again, a token that looks expired right after a refresh', async () => {
    // a client 2 minutes ahead with skew estimation off (huge tolerance): every token it
    // receives already looks expired
    const aheadClient = { ...clock, now: () => clock.now() + 120_000 }
    const { api, auth } = await loggedInClient(server, aheadClient, { clockTolerance: 10_000 })
    await auth.refresh()
    expect(server.counters.refreshCalls).toBe(1)

    await Promise.all([api.get('/api/echo'), api.get('/api/echo'), api.get('/api/orders')])

    expect(server.counters.refreshCalls).toBe(1)
    expect(server.counters.requestsByRoute['GET /api/echo']).toBe(2)
  })
})
