import { HttpResponse, http } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { build } from '#dev'
import {
  type Auth,
  createAuth,
  createFetch,
  InvalidOptionsError,
  isInvalidOptionsError,
  memoryStorage,
  type StoredSession,
  type TokenStorage,
} from '../../src/index'
import { bearerOf, recordEvents, useMockAuthServer } from '../harness'
import {
  API,
  echoOf,
  expireOnServer,
  gatedFetchRefresh,
  loggedInFetch,
  recordingRoute,
  recordRequestEvents,
  recordRetriedIds,
  refreshWithFetch,
} from './fetchHarness'

describe('createFetch: options', () => {
  const { server, clock } = useMockAuthServer()
  const newAuth = () => createAuth({ refresh: refreshWithFetch, now: clock.now })

  it('should throw InvalidOptionsError without allowedOrigins where there is no page origin', () => {
    const auth = newAuth()
    expect(() => createFetch(auth)).toThrow(InvalidOptionsError)
    expect(() => createFetch(auth, {})).toThrow(/allowedOrigins/)
    let error: unknown
    try {
      createFetch(auth)
    } catch (e) {
      error = e
    }
    expect(isInvalidOptionsError(error)).toBe(true)
  })

  it('should use the page origin when there is one and allowedOrigins is left out', async () => {
    vi.stubGlobal('location', { origin: API, href: `${API}/` })
    const auth = newAuth()
    const authFetch = createFetch(auth)
    const session = await server.issueTokens()
    await auth.setTokens(session)
    const response = await authFetch(`${API}/api/echo`)
    expect(response.status).toBe(200)
    expect(bearerOf((await echoOf(response)).headers)).toBe(session.accessToken)
  })

  it('should give the token to the page origin and to allowedOrigins both', async () => {
    vi.stubGlobal('location', { origin: 'http://app.test', href: 'http://app.test/' })
    const seen: Array<string | null> = []
    const auth = newAuth()
    const authFetch = createFetch(auth, {
      allowedOrigins: [API],
      fetch: async (input, init) => {
        seen.push(authorizationOf(input, init))
        return Response.json({})
      },
    })
    const session = await server.issueTokens()
    await auth.setTokens(session)
    await authFetch('http://app.test/x')
    await authFetch(`${API}/x`)
    await authFetch('http://other.test/x')
    const bearer = `Bearer ${session.accessToken}`
    expect(seen).toEqual([bearer, bearer, null])
  })

  it.runIf(build === 'development').each([
    ['an invalid headerName', { headerName: 'X Auth' }, /headerName/],
    ['a headerName with a colon', { headerName: 'X-Auth:' }, /headerName/],
    ['a scheme that is not a string', { scheme: 42 as unknown as string }, /scheme/],
    ['a refreshOn status below 400', { refreshOn: [200] }, /refreshOn/],
    ['a refreshOn that is not an array', { refreshOn: 401 as unknown as number[] }, /refreshOn/],
    [
      'a shouldRefresh that is not a function',
      { shouldRefresh: true as unknown as () => boolean },
      /shouldRefresh/,
    ],
    ['an allowed origin that is not absolute', { allowedOrigins: ['api.test'] }, /allowedOrigins/],
  ])('should throw InvalidOptionsError for %s', (_, options, message) => {
    const auth = newAuth()
    expect(() => createFetch(auth, { allowedOrigins: [API], ...options })).toThrow(
      InvalidOptionsError,
    )
    expect(() => createFetch(auth, { allowedOrigins: [API], ...options })).toThrow(message)
  })

  it('should throw InvalidOptionsError for an auth that createAuth() did not return', () => {
    const fake = { ...newAuth() } as Auth
    expect(() => createFetch(fake, { allowedOrigins: [API] })).toThrow(InvalidOptionsError)
  })
})

describe('createFetch: who receives the token', () => {
  const { server, network, clock } = useMockAuthServer()

  // foreign hosts answer with the headers they saw, so a leak would show
  const captured: Array<{ url: string; authorization: string | null; xAuth: string | null }> = []
  const capture = (url: string) =>
    http.all(url, ({ request }) => {
      captured.push({
        url: request.url,
        authorization: request.headers.get('authorization'),
        xAuth: request.headers.get('x-auth'),
      })
      return HttpResponse.json({ ok: true })
    })

  it('should attach the token for the allowed origin, whatever form the input takes', async () => {
    const { authFetch, session } = await loggedInFetch(server, clock)
    const inputs = [
      `${API}/api/echo`,
      new URL('/api/echo', API),
      new Request(`${API}/api/echo`),
      'HTTP://API.TEST:80/api/echo', // the same origin, spelled otherwise
    ]
    for (const input of inputs) {
      const response = await authFetch(input)
      expect(response.status).toBe(200)
      expect((await echoOf(response)).headers.authorization).toBe(`Bearer ${session.accessToken}`)
    }
  })

  it('should send no token to look-alike hosts, other schemes and other ports', async () => {
    captured.length = 0
    const foreign = [
      'http://api.test.evil.example/steal',
      'http://evil-api.test/steal',
      'http://xapi.test/steal',
      'http://api.tes/steal',
      'https://api.test/steal',
      'http://api.test:8080/steal',
      'http://evil.example/api.test/steal',
      'http://evil.example/steal?http://api.test',
    ]
    network.use(
      capture('http://api.test.evil.example/*'),
      capture('http://evil-api.test/*'),
      capture('http://xapi.test/*'),
      capture('http://api.tes/*'),
      capture('https://api.test/*'),
      capture('http://api.test:8080/*'),
      capture('http://evil.example/*'),
    )
    const { authFetch, auth } = await loggedInFetch(server, clock)
    const events = recordRequestEvents(auth)
    for (const url of foreign) {
      const response = await authFetch(url, { headers: { 'x-trace': '1' } })
      expect(response.status).toBe(200)
    }
    expect(captured.map(({ url }) => url)).toEqual(foreign)
    expect(captured.every(({ authorization }) => authorization === null)).toBe(true)
    // requests that carry no token are not the session's business
    expect(events).toEqual([])
  })

  it('should not refresh for a 401 from a host that never got the token', async () => {
    let arrivals = 0
    network.use(
      http.get('http://evil.example/*', () => {
        arrivals += 1
        return HttpResponse.json({ error: 'who are you' }, { status: 401 })
      }),
    )
    const { authFetch, auth } = await loggedInFetch(server, clock)
    const token = auth.getState().accessToken
    const response = await authFetch('http://evil.example/private')
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({ error: 'who are you' })
    expect(arrivals).toBe(1)
    expect(server.counters.refreshCalls).toBe(0)
    expect(auth.getState().accessToken).toBe(token)
  })

  it('should honour allowedOrigins given as a pattern or a predicate', async () => {
    captured.length = 0
    network.use(capture('http://eu.api.test/*'), capture('http://api.test.evil.example/*'))
    const session = await server.issueTokens()
    for (const allowedOrigins of [
      [/^http:\/\/[a-z]+\.api\.test$/],
      (url: URL) => url.hostname === 'eu.api.test',
    ]) {
      const auth = createAuth({ refresh: refreshWithFetch, now: clock.now })
      await auth.setTokens(session)
      const authFetch = createFetch(auth, { allowedOrigins })
      await authFetch('http://eu.api.test/x')
      await authFetch('http://api.test.evil.example/x')
    }
    expect(captured.map(({ authorization }) => authorization)).toEqual([
      `Bearer ${session.accessToken}`,
      null,
      `Bearer ${session.accessToken}`,
      null,
    ])
  })

  it('should send without a token, and never refresh, with skipAuth: true', async () => {
    const { authFetch, auth } = await loggedInFetch(server, clock)
    const events = recordRequestEvents(auth)

    const open = await authFetch(`${API}/public/echo`, { skipAuth: true })
    expect((await echoOf(open)).headers.authorization).toBeUndefined()

    // a guarded route refuses it, and the 401 is handed back as is
    const refused = await authFetch(`${API}/api/echo`, { skipAuth: true })
    expect(refused.status).toBe(401)
    expect(((await refused.json()) as { error: string }).error).toBe('invalid_token')

    // even with a token due for renewal, nothing is renewed for it
    clock.advance(59)
    await authFetch(`${API}/public/echo`, { skipAuth: true })
    expect(server.counters.refreshCalls).toBe(0)
    expect(events).toEqual([])
  })

  it('should keep the caller’s own Authorization header with skipAuth: true', async () => {
    const { authFetch } = await loggedInFetch(server, clock)
    const response = await authFetch(`${API}/public/echo`, {
      skipAuth: true,
      method: 'GET',
      headers: { Authorization: 'Basic dXNlcjpwYXNz' },
    })
    expect((await echoOf(response)).headers.authorization).toBe('Basic dXNlcjpwYXNz')
  })

  it('should let a skipAuth request through at once while a refresh is in flight', async () => {
    const { refresh, release } = gatedFetchRefresh()
    const { authFetch, auth } = await loggedInFetch(server, clock, { refreshMargin: 0, refresh })
    const refreshing = auth.refresh()
    await vi.waitFor(() => expect(auth.getState().isRefreshing).toBe(true))

    const login = await authFetch(`${API}/public/echo`, { skipAuth: true })
    expect(login.status).toBe(200)
    expect(auth.getState().isRefreshing).toBe(true)

    release()
    await refreshing
  })

  it('should send without a token, and not refresh, when there is no session', async () => {
    const auth = createAuth({ refresh: refreshWithFetch, now: clock.now })
    const authFetch = createFetch(auth, { allowedOrigins: [API] })
    const response = await authFetch(`${API}/api/echo`)
    expect(response.status).toBe(401)
    const open = await authFetch(`${API}/public/echo`)
    expect((await echoOf(open)).headers.authorization).toBeUndefined()
    expect(server.counters.refreshCalls).toBe(0)
  })

  it('should put the token in a custom header with no scheme', async () => {
    const { authFetch, session } = await loggedInFetch(
      server,
      clock,
      {},
      { headerName: 'X-Auth', scheme: '' },
    )
    const { headers } = await echoOf(await authFetch(`${API}/public/echo`))
    expect(headers['x-auth']).toBe(session.accessToken)
    expect(headers.authorization).toBeUndefined()
  })

  it('should put the token after a custom scheme', async () => {
    const { authFetch, session } = await loggedInFetch(server, clock, {}, { scheme: 'Token' })
    const { headers } = await echoOf(await authFetch(`${API}/public/echo`))
    expect(headers.authorization).toBe(`Token ${session.accessToken}`)
  })

  it('should replace an Authorization header the caller set for an allowed origin', async () => {
    const { authFetch, session } = await loggedInFetch(server, clock)
    const { headers } = await echoOf(
      await authFetch(`${API}/api/echo`, { headers: { Authorization: 'Bearer stale' } }),
    )
    expect(headers.authorization).toBe(`Bearer ${session.accessToken}`)
  })

  it('should refresh and retry with a custom header after a 401', async () => {
    const route = recordingRoute('/custom/resource')
    network.use(route.handler)
    const { authFetch, auth, session } = await loggedInFetch(
      server,
      clock,
      { refreshMargin: 0 },
      { headerName: 'X-Auth', scheme: '' },
    )
    const response = await authFetch(`${API}/custom/resource`)
    expect(response.status).toBe(200)
    expect(server.counters.refreshCalls).toBe(1)
    expect(route.arrivals.map(({ headers }) => headers['x-auth'])).toEqual([
      session.accessToken,
      auth.getState().accessToken,
    ])
    expect(route.arrivals.every(({ headers }) => headers.authorization === undefined)).toBe(true)
  })
})

describe('createFetch: the fetch it wraps', () => {
  const { server, clock } = useMockAuthServer()

  it('should send through options.fetch when given, for the first try and the retry', async () => {
    let calls = 0
    const seen: Array<string | null> = []
    const custom = vi.fn(async (input: string | Request, init?: RequestInit) => {
      calls += 1
      seen.push(authorizationOf(input, init))
      // the first call is refused as if the token had expired
      if (calls === 1) return Response.json({ error: 'token_expired' }, { status: 401 })
      return globalThis.fetch(input, init)
    })
    const { authFetch, auth, session } = await loggedInFetch(
      server,
      clock,
      { refreshMargin: 0 },
      { fetch: custom },
    )
    const response = await authFetch(`${API}/api/echo`)
    expect(response.status).toBe(200)
    expect(custom).toHaveBeenCalledTimes(2)
    expect(seen).toEqual([`Bearer ${session.accessToken}`, `Bearer ${auth.getState().accessToken}`])
    expect(server.counters.refreshCalls).toBe(1)
  })

  it('should send skipAuth requests and foreign requests through options.fetch too', async () => {
    const custom = vi.fn(async (_input: string | Request, _init?: RequestInit) => Response.json({}))
    const { authFetch } = await loggedInFetch(server, clock, {}, { fetch: custom })
    await authFetch(`${API}/public/echo`, { skipAuth: true })
    await authFetch('http://evil.example/x')
    expect(custom).toHaveBeenCalledTimes(2)
    expect(custom.mock.calls.map(([input, init]) => authorizationOf(input, init))).toEqual([
      null,
      null,
    ])
  })

  it('should send a string URL without a body as fetch(url, init), building no Request', async () => {
    const custom = vi.fn(async (_input: string | Request, _init?: RequestInit) => Response.json({}))
    const { authFetch, session } = await loggedInFetch(server, clock, {}, { fetch: custom })
    const headers = { 'X-Trace': 't1', authorization: 'Basic stale' }
    await authFetch(`${API}/api/echo`, { headers, cache: 'no-store' })
    const [input, init] = custom.mock.calls[0] ?? []
    expect(input).toBe(`${API}/api/echo`)
    expect(init).toMatchObject({ cache: 'no-store' })
    // the token replaces any other spelling of its header, as Headers.set would
    expect(Object.entries(new Headers(init?.headers))).toEqual(
      Object.entries(
        new Headers({ 'X-Trace': 't1', Authorization: `Bearer ${session.accessToken}` }),
      ),
    )
    expect(headers).toEqual({ 'X-Trace': 't1', authorization: 'Basic stale' })
  })

  it('should judge a relative URL by where the page resolves it, <base> included', async () => {
    vi.stubGlobal('location', { origin: API, href: `${API}/app/` })
    const custom = vi.fn(async (_input: string | Request, _init?: RequestInit) => Response.json({}))
    const { authFetch, session } = await loggedInFetch(server, clock, {}, { fetch: custom })
    await authFetch('orders')
    vi.stubGlobal('document', { baseURI: 'http://cdn.example/' })
    await authFetch('orders')
    expect(custom.mock.calls.map(([input]) => input)).toEqual(['orders', 'orders'])
    expect(
      custom.mock.calls.map(([, init]) => new Headers(init?.headers).get('authorization')),
    ).toEqual([`Bearer ${session.accessToken}`, null])
  })

  it('should build a Request where the call needs one (a body, a Request, a custom header)', async () => {
    const custom = vi.fn(async (_input: string | Request, _init?: RequestInit) => Response.json({}))
    const { authFetch } = await loggedInFetch(server, clock, {}, { fetch: custom })
    await authFetch(`${API}/api/echo`, { method: 'POST', body: '{}' })
    await authFetch(new Request(`${API}/api/echo`))
    expect(custom.mock.calls.map(([input]) => input instanceof Request)).toEqual([true, true])
  })

  it('should look globalThis.fetch up at each call', async () => {
    const { authFetch, session } = await loggedInFetch(server, clock)
    const original = globalThis.fetch
    const stub = vi.fn((input: RequestInfo | URL, init?: RequestInit) => original(input, init))
    vi.stubGlobal('fetch', stub)
    const response = await authFetch(`${API}/api/echo`)
    expect(stub).toHaveBeenCalledTimes(1)
    expect((await echoOf(response)).headers.authorization).toBe(`Bearer ${session.accessToken}`)
  })

  it('should hand back a network error from fetch as is, and report status null', async () => {
    const { authFetch, auth } = await loggedInFetch(
      server,
      clock,
      {},
      {
        fetch: async () => {
          throw new TypeError('fetch failed')
        },
      },
    )
    const finished: Array<{ status: number | null; ok: boolean }> = []
    auth.on('requestFinished', ({ status, ok }) => finished.push({ status, ok }))
    await expect(authFetch(`${API}/api/echo`)).rejects.toThrow(TypeError)
    expect(finished).toEqual([{ status: null, ok: false }])
    expect(server.counters.refreshCalls).toBe(0)
  })
})

describe('createFetch: proactive renewal', () => {
  const { server, clock } = useMockAuthServer()

  it('should renew a token near expiry before sending, once for a burst', async () => {
    const { authFetch, auth, session } = await loggedInFetch(server, clock)
    const events = recordEvents(auth)
    // default margin: 20% of 60 s, so at 50 s the token is due
    clock.advance(50)

    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => authFetch(`${API}/api/echo?i=${i}`)),
    )

    expect(responses.every((response) => response.status === 200)).toBe(true)
    expect(server.counters.refreshCalls).toBe(1)
    expect(server.counters.expiredTokenRequests).toBe(0)
    expect(server.counters.requestsByRoute['GET /api/echo']).toBe(20)
    expect(events.filter((e) => e === 'refreshStarted')).toHaveLength(1)
    expect(events).not.toContain('requestRetried')
    const fresh = auth.getState().accessToken
    expect(fresh).not.toBe(session.accessToken)
    const echoes = await Promise.all(responses.map(echoOf))
    expect(echoes.every(({ headers }) => headers.authorization === `Bearer ${fresh}`)).toBe(true)
  })

  it('should renew before expiry so steady traffic never meets an expired token', async () => {
    const { authFetch } = await loggedInFetch(server, clock)
    for (let second = 0; second < 300; second += 5) {
      const responses = await Promise.all([
        authFetch(`${API}/api/echo`),
        authFetch(`${API}/api/orders`),
      ])
      expect(responses.map(({ status }) => status)).toEqual([200, 200])
      clock.advance(5)
    }
    expect(server.counters.expiredTokenRequests).toBe(0)
    expect(server.counters.refreshCalls).toBeGreaterThanOrEqual(5)
    expect(server.counters.refreshCalls).toBeLessThanOrEqual(7)
  })

  it('should send the still-valid token when a renewal fails for now', async () => {
    const { authFetch, auth, session } = await loggedInFetch(server, clock)
    clock.advance(50)
    server.faults.failNextRefresh(1, 'server-error')
    const response = await authFetch(`${API}/api/echo`)
    expect(response.status).toBe(200)
    expect((await echoOf(response)).headers.authorization).toBe(`Bearer ${session.accessToken}`)
    expect(auth.getState().status).toBe('authenticated')
    expect(server.counters.refreshCalls).toBe(1)
  })

  it('should make a request started during a refresh wait for it and use its token', async () => {
    const { refresh, release } = gatedFetchRefresh()
    const { authFetch, auth } = await loggedInFetch(server, clock, { refreshMargin: 0, refresh })
    const queued: number[] = []
    auth.on('requestQueued', ({ request }) => queued.push(request.id))
    const refreshing = auth.refresh()
    await vi.waitFor(() => expect(auth.getState().isRefreshing).toBe(true))
    const pending = authFetch(`${API}/api/echo`)
    await vi.waitFor(() => expect(queued).toHaveLength(1))
    expect(server.counters.requestsByRoute['GET /api/echo']).toBeUndefined()
    release()
    const token = await refreshing
    const response = await pending
    expect((await echoOf(response)).headers.authorization).toBe(`Bearer ${token}`)
    expect(server.counters.refreshCalls).toBe(1)
    expect(server.counters.expiredTokenRequests).toBe(0)
  })
})

describe('createFetch: a session read from an async storage', () => {
  const { server, clock } = useMockAuthServer()

  it('should wait for the storage to be read, then send with the stored token', async () => {
    const first = memoryStorage()
    const earlier = createAuth({ refresh: refreshWithFetch, now: clock.now, storage: first })
    const session = await server.issueTokens()
    await earlier.setTokens(session)
    await vi.waitFor(() => expect(first.get()).not.toBeNull())
    const stored = first.get() as StoredSession

    let open = () => {}
    const opened = new Promise<void>((resolve) => {
      open = resolve
    })
    const storage: TokenStorage = {
      get: () => opened.then(() => stored),
      set() {},
      remove() {},
    }
    const auth = createAuth({ refresh: refreshWithFetch, now: clock.now, storage })
    const authFetch = createFetch(auth, { allowedOrigins: [API] })
    let settled = false
    const pending = authFetch(`${API}/api/echo`).finally(() => {
      settled = true
    })
    await Promise.resolve()
    expect(settled).toBe(false)
    expect(server.counters.requestsByRoute['GET /api/echo']).toBeUndefined()
    open()
    const response = await pending
    expect(response.status).toBe(200)
    expect((await echoOf(response)).headers.authorization).toBe(`Bearer ${session.accessToken}`)
    expect(server.counters.refreshCalls).toBe(0)
  })
})

describe('createFetch: 401 handling', () => {
  const { server, network, clock } = useMockAuthServer()

  it('should refresh once for a burst of 401s and retry each request exactly once', async () => {
    const { authFetch, auth, session } = await loggedInFetch(server, clock, { refreshMargin: 0 })
    const events = recordEvents(auth)
    const retried = recordRetriedIds(auth)
    const started: Array<{ id: number; retry: boolean }> = []
    auth.on('requestStarted', ({ request, retry }) => started.push({ id: request.id, retry }))
    expireOnServer(server)
    const n = 50

    const responses = await Promise.all(
      Array.from({ length: n }, (_, i) => authFetch(`${API}/api/echo?i=${i}`)),
    )

    expect(responses.every((response) => response.status === 200)).toBe(true)
    expect(server.counters.refreshCalls).toBe(1)
    expect(server.counters.expiredTokenRequests).toBe(n)
    expect(server.counters.requestsByRoute['GET /api/echo']).toBe(2 * n)
    expect(events.filter((e) => e === 'refreshStarted')).toHaveLength(1)
    // every request retried once: n distinct ids, none twice
    expect(retried).toHaveLength(n)
    expect(new Set(retried).size).toBe(n)
    expect(started.filter(({ retry }) => retry).map(({ id }) => id)).toEqual(
      expect.arrayContaining(retried),
    )
    expect(started.filter(({ retry }) => !retry)).toHaveLength(n)
    expect(started.filter(({ retry }) => retry)).toHaveLength(n)
    const fresh = auth.getState().accessToken
    expect(fresh).not.toBe(session.accessToken)
    const echoes = await Promise.all(responses.map(echoOf))
    expect(echoes.map(({ query }) => Number(query.i))).toEqual(
      Array.from({ length: n }, (_, i) => i),
    )
    expect(echoes.every(({ headers }) => headers.authorization === `Bearer ${fresh}`)).toBe(true)
  })

  it('should retry queued requests in the order they failed', async () => {
    const { refresh, release } = gatedFetchRefresh()
    const { authFetch, auth } = await loggedInFetch(server, clock, { refreshMargin: 0, refresh })
    const queued: number[] = []
    auth.on('requestQueued', ({ request }) => queued.push(request.id))
    const retried = recordRetriedIds(auth)
    expireOnServer(server)

    const all = Promise.all([0, 1, 2, 3, 4].map((i) => authFetch(`${API}/api/echo?i=${i}`)))
    await vi.waitFor(() => expect(queued).toHaveLength(5))
    expect(auth.getState().isRefreshing).toBe(true)
    release()
    const responses = await all

    expect(responses.map(({ status }) => status)).toEqual([200, 200, 200, 200, 200])
    expect(retried).toEqual(queued)
    expect(server.counters.refreshCalls).toBe(1)
  })

  it('should return the 401 of a retried request as the response, without another refresh', async () => {
    let arrivals = 0
    // this resource refuses every token, even fresh ones
    network.use(
      http.get(`${API}/api/stubborn`, () => {
        arrivals += 1
        return HttpResponse.json({ error: 'invalid_token', arrival: arrivals }, { status: 401 })
      }),
    )
    const { authFetch, auth } = await loggedInFetch(server, clock)
    const retried = recordRetriedIds(auth)

    const response = await authFetch(`${API}/api/stubborn`)

    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({ error: 'invalid_token', arrival: 2 })
    expect(arrivals).toBe(2)
    expect(retried).toHaveLength(1)
    expect(server.counters.refreshCalls).toBe(1)
    expect(auth.getState().status).toBe('authenticated')
  })

  it('should retry a late 401 with the new token without refreshing again', async () => {
    const { authFetch, auth, session } = await loggedInFetch(server, clock, { refreshMargin: 0 })
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
    const slow = authFetch(`${API}/api/late`)
    await vi.waitFor(() => expect(seen).toHaveLength(1))
    expireOnServer(server)
    expect((await authFetch(`${API}/api/echo`)).status).toBe(200) // fails, refreshes, retries
    expect(server.counters.refreshCalls).toBe(1)
    answerLate()

    expect((await slow).status).toBe(200)
    expect(server.counters.refreshCalls).toBe(1)
    expect(seen).toEqual([`Bearer ${session.accessToken}`, `Bearer ${auth.getState().accessToken}`])
  })

  it('should hand back the 401 response untouched when shouldRefresh returns false', async () => {
    let arrivals = 0
    network.use(
      http.get(`${API}/api/scoped`, () => {
        arrivals += 1
        return HttpResponse.json(
          { error: 'insufficient_scope', detail: 'admin only' },
          {
            status: 401,
            headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope"', 'X-Trace': 't-1' },
          },
        )
      }),
    )
    const shouldRefresh = vi.fn(
      (response: Response) =>
        !String(response.headers.get('www-authenticate')).includes('insufficient_scope'),
    )
    const { authFetch, auth } = await loggedInFetch(server, clock, {}, { shouldRefresh })
    const events = recordEvents(auth)

    const response = await authFetch(`${API}/api/scoped`)

    expect(response.status).toBe(401)
    expect(response.headers.get('x-trace')).toBe('t-1')
    expect(response.bodyUsed).toBe(false)
    expect(await response.json()).toEqual({ error: 'insufficient_scope', detail: 'admin only' })
    expect(arrivals).toBe(1)
    expect(server.counters.refreshCalls).toBe(0)
    expect(events).toEqual([])
    expect(shouldRefresh).toHaveBeenCalledTimes(1)
    const [seenResponse, seenRequest] = shouldRefresh.mock.calls[0] as unknown as [
      Response,
      Request,
    ]
    expect(seenResponse.status).toBe(401)
    expect(seenRequest).toBeInstanceOf(Request)
    expect(seenRequest.url).toBe(`${API}/api/scoped`)
  })

  it('should refresh when shouldRefresh returns true', async () => {
    const { authFetch } = await loggedInFetch(
      server,
      clock,
      { refreshMargin: 0 },
      { shouldRefresh: () => true },
    )
    expireOnServer(server)
    expect((await authFetch(`${API}/api/echo`)).status).toBe(200)
    expect(server.counters.refreshCalls).toBe(1)
  })

  it('should not ask shouldRefresh about statuses outside refreshOn', async () => {
    network.use(http.get(`${API}/api/forbidden`, () => new HttpResponse(null, { status: 403 })))
    const shouldRefresh = vi.fn(() => true)
    const { authFetch } = await loggedInFetch(server, clock, {}, { shouldRefresh })
    expect((await authFetch(`${API}/api/forbidden`)).status).toBe(403)
    expect(shouldRefresh).not.toHaveBeenCalled()
    expect(server.counters.refreshCalls).toBe(0)
  })

  it('should refresh and retry on each status of refreshOn: [401, 419]', async () => {
    const { authFetch, auth } = await loggedInFetch(
      server,
      clock,
      { refreshMargin: 0 },
      { refreshOn: [401, 419] },
    )
    const retried = recordRetriedIds(auth)
    const tokens: Array<string | null> = []
    let arrivals = 0
    network.use(
      http.get(`${API}/api/laravel`, ({ request }) => {
        arrivals += 1
        tokens.push(request.headers.get('authorization'))
        return arrivals === 1
          ? HttpResponse.json({ message: 'Page Expired' }, { status: 419 })
          : HttpResponse.json({ ok: true })
      }),
    )

    const first = await authFetch(`${API}/api/laravel`)
    expect(first.status).toBe(200)
    expect(arrivals).toBe(2)
    expect(tokens[1]).toBe(`Bearer ${auth.getState().accessToken}`)
    expect(tokens[0]).not.toBe(tokens[1])
    expect(server.counters.refreshCalls).toBe(1)

    expireOnServer(server)
    expect((await authFetch(`${API}/api/echo`)).status).toBe(200)
    expect(server.counters.refreshCalls).toBe(2)
    expect(retried).toHaveLength(2)
  })

  it('should hand back a 401 as is when refreshOn lists only 419', async () => {
    const { authFetch } = await loggedInFetch(
      server,
      clock,
      { refreshMargin: 0 },
      { refreshOn: [419] },
    )
    expireOnServer(server)
    const response = await authFetch(`${API}/api/echo`)
    expect(response.status).toBe(401)
    expect(server.counters.refreshCalls).toBe(0)
    expect(server.counters.requestsByRoute['GET /api/echo']).toBe(1)
  })
})

describe('createFetch: events', () => {
  const { server, clock } = useMockAuthServer()

  it('should describe a request by { id, method, url } in every event, and a retry by its id', async () => {
    const { refresh, release } = gatedFetchRefresh()
    const { authFetch, auth, session } = await loggedInFetch(server, clock, {
      refreshMargin: 0,
      refresh,
    })
    const events = recordRequestEvents(auth)
    expireOnServer(server)

    const pending = authFetch(`${API}/api/echo?q=1`)
    await vi.waitFor(() => expect(events.map(({ type }) => type)).toContain('requestQueued'))
    release()
    const response = await pending
    expect(response.status).toBe(200)

    expect(events.map(({ type }) => type)).toEqual([
      'requestStarted',
      'requestFinished',
      'requestQueued',
      'requestRetried',
      'requestStarted',
      'requestFinished',
    ])
    const id = events[0]?.event.request.id
    expect(typeof id).toBe('number')
    for (const { event } of events) {
      expect(event.request).toEqual({ id, method: 'GET', url: `${API}/api/echo?q=1` })
      expect(Object.keys(event.request).sort()).toEqual(['id', 'method', 'url'])
    }
    expect(events[0]?.event).toEqual({ request: events[0]?.event.request, retry: false })
    expect(events[1]?.event).toMatchObject({ status: 401, ok: false })
    expect(events[4]?.event).toEqual({ request: events[4]?.event.request, retry: true })
    expect(events[5]?.event).toMatchObject({ status: 200, ok: true })

    const serialized = JSON.stringify(events)
    expect(serialized).not.toContain(session.accessToken)
    expect(serialized).not.toContain(session.refreshToken)
    expect(serialized).not.toContain(String(auth.getState().accessToken))
  })

  it('should give each request its own id and report its method upper case', async () => {
    const { authFetch, auth } = await loggedInFetch(server, clock)
    const events = recordRequestEvents(auth)
    await authFetch(`${API}/api/echo`)
    await authFetch(`${API}/api/upload`, { method: 'post', body: '{}' })
    const started = events.filter(({ type }) => type === 'requestStarted')
    expect(started.map(({ event }) => event.request.method)).toEqual(['GET', 'POST'])
    const [first, second] = started.map(({ event }) => event.request.id)
    expect(first).not.toBe(second)
  })

  it('should carry no token in any event, whatever the request carried', async () => {
    const { authFetch, auth, session } = await loggedInFetch(server, clock, { refreshMargin: 0 })
    const all: unknown[] = []
    for (const type of [
      'requestStarted',
      'requestFinished',
      'requestQueued',
      'requestRetried',
    ] as const) {
      auth.on(type, (event) => all.push(event))
    }
    expireOnServer(server)
    await Promise.all([
      authFetch(`${API}/api/echo`),
      authFetch(`${API}/api/upload`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-secret': 'hunter2' },
        body: JSON.stringify({ password: 'hunter2' }),
      }),
    ])
    expect(all.length).toBeGreaterThanOrEqual(8)
    const serialized = JSON.stringify(all)
    for (const secret of [
      session.accessToken,
      session.refreshToken,
      String(auth.getState().accessToken),
      'hunter2',
    ]) {
      expect(serialized).not.toContain(secret)
    }
  })
})

/** The Authorization header a wrapped fetch was called with, however it was called. */
function authorizationOf(input: string | Request, init?: RequestInit): string | null {
  return new Request(input, init).headers.get('authorization')
}
