import axios from 'axios'
import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import { createAuth, isSessionExpiredError } from '../src/index'
import { API, gatedRefresh, loggedInClient, refreshWithAxios, useMockAuthServer } from './harness'

describe('what starts a refresh', () => {
  const { server, network, clock } = useMockAuthServer()

  it('should pass a 403 insufficient_scope through untouched', async () => {
    const { api } = await loggedInClient(server, clock)
    await expect(api.get('/api/admin')).rejects.toMatchObject({ response: { status: 403 } })
    expect(server.counters.refreshCalls).toBe(0)
  })

  it('should not refresh for a request sent without a token, such as a failed login', async () => {
    const api = axios.create({ baseURL: API })
    createAuth({ refresh: refreshWithAxios, now: clock.now }).attach(api)
    await expect(
      api.post('/auth/login', { email: 'demo@retoken.dev', password: 'wrong' }),
    ).rejects.toMatchObject({ response: { status: 401, data: { error: 'invalid_credentials' } } })
    expect(server.counters.refreshCalls).toBe(0)
  })

  it('should not refresh for a request that opted out', async () => {
    const { api } = await loggedInClient(server, clock, { refreshMargin: 0 })
    server.clock.setOffset(61)
    await expect(api.get('/api/echo', { skipAuth: true })).rejects.toMatchObject({
      response: { status: 401 },
    })
    expect(server.counters.refreshCalls).toBe(0)
  })

  it('should refresh only on the configured statuses, as the predicate allows', async () => {
    const api = axios.create({ baseURL: API })
    const auth = createAuth({ refresh: refreshWithAxios, now: clock.now })
    auth.attach(api, {
      refreshOn: [401, 419],
      shouldRefresh: (error) =>
        !String(error.response?.headers['www-authenticate']).includes('insufficient_scope'),
    })
    await auth.setTokens(await server.issueTokens())
    let calls = 0
    network.use(
      http.get(`${API}/api/session-timeout`, () =>
        ++calls === 1 ? HttpResponse.json({}, { status: 419 }) : HttpResponse.json({ ok: true }),
      ),
      http.get(`${API}/api/scoped`, () =>
        HttpResponse.json(
          { error: 'insufficient_scope' },
          { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' } },
        ),
      ),
    )
    await expect(api.get('/api/session-timeout')).resolves.toMatchObject({ status: 200 })
    expect(server.counters.refreshCalls).toBe(1)
    await expect(api.get('/api/scoped')).rejects.toMatchObject({ response: { status: 401 } })
    expect(server.counters.refreshCalls).toBe(1)
  })

  it('should neither deadlock nor recurse when refresh calls through the attached instance', async () => {
    const api = axios.create({ baseURL: API })
    const auth = createAuth({
      now: clock.now,
      refreshMargin: 0,
      // the refresh call goes through `api` itself, with no opt-out flag
      refresh: async ({ refreshToken }) => (await api.post('/auth/refresh', { refreshToken })).data,
    })
    auth.attach(api)
    await auth.setTokens(await server.issueTokens())
    server.clock.setOffset(61)
    await expect(api.get('/api/echo')).resolves.toMatchObject({ status: 200 })
    expect(server.counters.refreshCalls).toBe(1)

    // and a 401 from that refresh call never starts another refresh
    server.faults.revokeAllSessions()
    server.clock.setOffset(200)
    await expect(api.get('/api/echo')).rejects.toSatisfy(isSessionExpiredError)
    expect(server.counters.refreshCalls).toBe(2)
  })

  it('should not send a request started during a refresh until the refresh is done', async () => {
    const { refresh, release } = gatedRefresh()
    const { api, auth } = await loggedInClient(server, clock, { refreshMargin: 0, refresh })
    server.clock.setOffset(61)
    const first = api.get('/api/echo')
    await new Promise<void>((resolve) => auth.on('refreshStarted', () => resolve()))
    const second = api.get('/api/orders')
    await Promise.resolve()
    expect(server.counters.requestsByRoute['GET /api/orders'] ?? 0).toBe(0)
    release()
    const [, orders] = await Promise.all([first, second])
    expect(orders.status).toBe(200)
    expect(server.counters.requestsByRoute['GET /api/orders']).toBe(1)
    expect(server.counters.expiredTokenRequests).toBe(1)
  })

  it('should share one refresh between several attached instances, and detach cleanly', async () => {
    const auth = createAuth({ refresh: refreshWithAxios, now: clock.now, refreshMargin: 0 })
    const one = axios.create({ baseURL: API })
    const two = axios.create({ baseURL: API })
    const detachOne = auth.attach(one)
    auth.attach(two)
    await auth.setTokens(await server.issueTokens())
    server.clock.setOffset(61)
    await Promise.all([one.get('/api/echo'), two.get('/api/echo'), two.get('/api/orders')])
    expect(server.counters.refreshCalls).toBe(1)

    detachOne()
    const response = await one.get('/api/echo', { validateStatus: () => true })
    expect(response.status).toBe(401)
    expect(response.config.headers.Authorization).toBeUndefined()
  })
})
