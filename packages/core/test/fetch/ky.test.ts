import { inspect } from 'node:util'
import ky, { HTTPError, type KyInstance, type Options } from 'ky'
import { HttpResponse, http } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import {
  type AuthOptions,
  createAuth,
  createFetch,
  isRefreshFailedError,
  isSessionExpiredError,
  type TokenSet,
} from '../../src/index'
import { type TestClock, useMockAuthServer } from '../harness'
import {
  API,
  type Echo,
  gatedFetchRefresh,
  recordRetriedIds,
  refreshWithFetch,
} from './fetchHarness'

type Server = ReturnType<typeof useMockAuthServer>['server']

// ky forwards the options it does not know to fetch as the init's extra keys
const skipAuth = { skipAuth: true } as Options

/** ky as its README shows it, with the retoken fetch plugged in; ky's own retries off. */
async function kyClient(server: Server, clock: TestClock, options: Partial<AuthOptions> = {}) {
  const auth = createAuth({ refresh: refreshWithFetch, now: clock.now, ...options })
  const authFetch = createFetch(auth, { allowedOrigins: [API] })
  const api: KyInstance = ky.create({ prefixUrl: API, fetch: authFetch, retry: 0 })
  const session = await server.issueTokens()
  await auth.setTokens(session)
  return { auth, api, session }
}

describe('ky with the retoken fetch', () => {
  const { server, network, clock } = useMockAuthServer()

  it('should attach the token', async () => {
    const { api, session } = await kyClient(server, clock)
    const echo = await api.get('api/echo').json<Echo>()
    expect(echo.headers.authorization).toBe(`Bearer ${session.accessToken}`)
  })

  it('should refresh once for 20 concurrent 401s and retry each request exactly once', async () => {
    const { api, auth, session } = await kyClient(server, clock, { refreshMargin: 0 })
    const retried = recordRetriedIds(auth)
    server.clock.setOffset(61)

    const echoes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api.get('api/echo', { searchParams: { i } }).json<Echo>(),
      ),
    )

    expect(server.counters.refreshCalls).toBe(1)
    expect(server.counters.expiredTokenRequests).toBe(20)
    expect(server.counters.requestsByRoute['GET /api/echo']).toBe(40)
    expect(retried).toHaveLength(20)
    expect(new Set(retried).size).toBe(20)
    const fresh = auth.getState().accessToken
    expect(fresh).not.toBe(session.accessToken)
    expect(echoes.every(({ headers }) => headers.authorization === `Bearer ${fresh}`)).toBe(true)
    expect(echoes.map(({ query }) => Number(query.i))).toEqual(
      Array.from({ length: 20 }, (_, i) => i),
    )
  })

  it('should retry a POST with the same JSON body, headers and query', async () => {
    const { api, auth } = await kyClient(server, clock, { refreshMargin: 0 })
    const retried = recordRetriedIds(auth)
    server.clock.setOffset(61)

    const echo = await api
      .post('api/upload', {
        json: { name: 'report.pdf', size: 1024 },
        searchParams: { folder: 'inbox' },
        headers: { 'X-Request-Id': 'abc-123' },
      })
      .json<Echo>()

    expect(retried).toHaveLength(1)
    expect(server.counters.requestsByRoute['POST /api/upload']).toBe(2)
    expect(echo.method).toBe('POST')
    expect(echo.body).toEqual({ name: 'report.pdf', size: 1024 })
    expect(echo.query).toEqual({ folder: 'inbox' })
    expect(echo.headers['x-request-id']).toBe('abc-123')
    expect(echo.headers['content-type']).toMatch(/application\/json/)
    expect(echo.headers.authorization).toBe(`Bearer ${auth.getState().accessToken}`)
  })

  it('should renew a token near expiry once for a burst, before sending', async () => {
    const { api } = await kyClient(server, clock)
    clock.advance(50)
    await Promise.all(Array.from({ length: 10 }, () => api.get('api/echo').json()))
    expect(server.counters.refreshCalls).toBe(1)
    expect(server.counters.expiredTokenRequests).toBe(0)
  })

  it('should pass skipAuth through to the retoken fetch', async () => {
    const { api } = await kyClient(server, clock)
    const open = await api.get('public/echo', skipAuth).json<Echo>()
    expect(open.headers.authorization).toBeUndefined()

    const error = await api.get('api/echo', skipAuth).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HTTPError)
    expect((error as HTTPError).response.status).toBe(401)
    expect(server.counters.refreshCalls).toBe(0)
    expect(server.counters.requestsByRoute['GET /api/echo']).toBe(1)
  })

  it('should throw ky’s HTTPError for a retried request refused again', async () => {
    let arrivals = 0
    network.use(
      http.get(`${API}/api/stubborn`, () => {
        arrivals += 1
        return HttpResponse.json({ error: 'invalid_token' }, { status: 401 })
      }),
    )
    const { api } = await kyClient(server, clock)
    const error = await api.get('api/stubborn').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HTTPError)
    expect((error as HTTPError).response.status).toBe(401)
    expect(arrivals).toBe(2)
    expect(server.counters.refreshCalls).toBe(1)
  })

  it('should reject with SessionExpiredError through ky when the refresh is rejected', async () => {
    const { api, auth } = await kyClient(server, clock, { refreshMargin: 0 })
    server.faults.revokeAllSessions()
    const results = await Promise.allSettled([api.get('api/echo'), api.get('api/orders')])
    for (const result of results) {
      expect(isSessionExpiredError((result as PromiseRejectedResult).reason)).toBe(true)
    }
    expect(auth.getState().status).toBe('unauthenticated')
    expect(server.counters.refreshCalls).toBe(1)
  })

  it('should reject with ky’s abort when a queued request is aborted', async () => {
    const { refresh, release } = gatedFetchRefresh()
    const { api, auth } = await kyClient(server, clock, { refreshMargin: 0, refresh })
    const queued: number[] = []
    auth.on('requestQueued', ({ request }) => queued.push(request.id))
    server.clock.setOffset(61)
    const controller = new AbortController()
    const aborted = api.get('api/echo', { signal: controller.signal }).json()
    const other = api.get('api/echo').json<Echo>()
    await vi.waitFor(() => expect(queued).toHaveLength(2))
    const reason = new Error('left the page')
    controller.abort(reason)
    await expect(aborted).rejects.toBe(reason)
    release()
    await expect(other).resolves.toMatchObject({ method: 'GET' })
    expect(server.counters.refreshCalls).toBe(1)
  })

  // The refresh as the ky README example writes it: ky's HTTPError keeps the request's
  // options, among them the JSON body with the refresh token.
  const refreshWithKy: AuthOptions['refresh'] = ({ refreshToken, signal }) =>
    ky.post(`${API}/auth/refresh`, { json: { refreshToken }, signal, retry: 0 }).json<TokenSet>()

  it.each([
    ['rejected', 'revoke'],
    ['failing with a 500', 'server-error'],
  ] as const)('should show the refresh token nowhere when a ky refresh is %s', async (_, mode) => {
    const { api, auth, session } = await kyClient(server, clock, {
      refreshMargin: 0,
      refresh: refreshWithKy,
    })
    const failures: unknown[] = []
    auth.on('refreshFailed', ({ error }) => failures.push(error))
    if (mode === 'revoke') server.faults.revokeAllSessions()
    else {
      server.clock.setOffset(61)
      server.faults.failNextRefresh(1, mode)
    }

    const error = await api.get('api/echo').catch((e: unknown) => e)

    expect(mode === 'revoke' ? isSessionExpiredError(error) : isRefreshFailedError(error)).toBe(
      true,
    )
    // the ky HTTPError of the refresh call is kept as the cause
    expect((error as Error).cause).toBeInstanceOf(HTTPError)
    for (const thrown of [error, ...failures]) {
      expect(String(thrown)).not.toContain(session.refreshToken)
      expect(JSON.stringify(thrown)).not.toContain(session.refreshToken)
      // what console.error(error) prints: the error, its cause and their fields
      expect(inspect(thrown, { depth: 10 })).not.toContain(session.refreshToken)
    }
  })
})
