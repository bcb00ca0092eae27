import { HttpResponse, http } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { API, gatedRefresh, loggedInClient, recordEvents, useMockAuthServer } from './harness'

// The server's clock runs ahead of the client's access-token expiry here: the client
// still trusts its token, the server refuses it, which is the 401 path.
const expireOnServer = (server: ReturnType<typeof useMockAuthServer>['server']) =>
  server.clock.setOffset(61)

describe('401 handling', () => {
  const { server, network, clock } = useMockAuthServer()

  it('should refresh once for 1,000 concurrent 401s and retry each request once', async () => {
    const { api, auth } = await loggedInClient(server, clock, { refreshMargin: 0 })
    const events = recordEvents(auth)
    expireOnServer(server)

    const responses = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => api.get('/api/echo', { params: { i } })),
    )

    expect(responses.every((response) => response.status === 200)).toBe(true)
    expect(server.counters.refreshCalls).toBe(1)
    expect(server.counters.requestsByRoute['GET /api/echo']).toBe(2000)
    expect(events.filter((e) => e === 'refreshStarted')).toHaveLength(1)
    expect(events.filter((e) => e === 'requestRetried')).toHaveLength(1000)
    const newToken = auth.getState().accessToken
    expect(responses.every((r) => r.data.headers.authorization === `Bearer ${newToken}`)).toBe(true)
  }, 20_000) // 2,000 real requests through msw: seconds on a busy 2-core machine

  it('should retry queued requests in the order they failed', async () => {
    const { refresh, release } = gatedRefresh()
    const { api, auth } = await loggedInClient(server, clock, { refreshMargin: 0, refresh })
    const queued: string[] = []
    const retried: string[] = []
    auth.on('requestQueued', ({ request }) => queued.push(String(request.id)))
    auth.on('requestRetried', ({ request }) => retried.push(String(request.id)))
    expireOnServer(server)

    const all = Promise.all([0, 1, 2, 3, 4].map((i) => api.get('/api/echo', { params: { i } })))
    await vi.waitFor(() => expect(queued).toHaveLength(5))
    release()
    await all

    expect(retried).toEqual(queued)
    expect(server.counters.refreshCalls).toBe(1)
  })

  it('should reject a retried request that gets 401 again, without another refresh', async () => {
    const { api } = await loggedInClient(server, clock)
    let arrivals = 0
    // this resource refuses every token, even fresh ones
    network.use(
      http.get(`${API}/api/stubborn`, () => {
        arrivals += 1
        return HttpResponse.json({ error: 'invalid_token' }, { status: 401 })
      }),
    )
    await expect(api.get('/api/stubborn')).rejects.toMatchObject({ response: { status: 401 } })
    expect(arrivals).toBe(2)
    expect(server.counters.refreshCalls).toBe(1)
  })

  it('should retry a late 401 with the new token without refreshing again', async () => {
    const { api, auth } = await loggedInClient(server, clock, { refreshMargin: 0 })
    const oldToken = auth.getState().accessToken
    let answerLate = () => {}
    const late = new Promise<void>((resolve) => {
      answerLate = resolve
    })
    const seen: Array<string | null> = []
    // a slow resource that checked the old token on arrival and answers 401 later
    network.use(
      http.get(`${API}/api/late`, async ({ request }) => {
        seen.push(request.headers.get('authorization'))
        if (seen.length === 1) {
          await late
          return HttpResponse.json({ error: 'token_expired' }, { status: 401 })
        }
        return HttpResponse.json({ ok: true })
      }),
    )
    const slow = api.get('/api/late')
    await vi.waitFor(() => expect(seen).toHaveLength(1))
    expireOnServer(server)
    await api.get('/api/echo') // fails, refreshes, retries
    expect(server.counters.refreshCalls).toBe(1)
    answerLate()

    await expect(slow).resolves.toMatchObject({ status: 200 })
    expect(server.counters.refreshCalls).toBe(1)
    expect(seen).toEqual([`Bearer ${oldToken}`, `Bearer ${auth.getState().accessToken}`])
  })
})
