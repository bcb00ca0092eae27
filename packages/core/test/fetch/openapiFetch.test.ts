import createClient from 'openapi-fetch'
import { describe, expect, it, vi } from 'vitest'
import { type AuthOptions, createAuth, createFetch, isSessionExpiredError } from '../../src/index'
import { type TestClock, useMockAuthServer } from '../harness'
import {
  API,
  type Echo,
  gatedFetchRefresh,
  recordRetriedIds,
  refreshWithFetch,
} from './fetchHarness'

type Server = ReturnType<typeof useMockAuthServer>['server']

// What openapi-typescript would generate for the mock server's echo routes.
interface Upload {
  name: string
  size: number
}
interface paths {
  '/api/echo': {
    get: {
      parameters: { query?: { i?: number } }
      responses: {
        200: { content: { 'application/json': Echo } }
        401: { content: { 'application/json': { error: string; error_description: string } } }
      }
    }
  }
  '/api/upload': {
    post: {
      parameters: { query?: { folder?: string } }
      requestBody: { content: { 'application/json': Upload } }
      responses: { 200: { content: { 'application/json': Echo } } }
    }
  }
}

/** openapi-fetch as its README shows it, with the retoken fetch plugged in. */
async function openapiClient(server: Server, clock: TestClock, options: Partial<AuthOptions> = {}) {
  const auth = createAuth({ refresh: refreshWithFetch, now: clock.now, ...options })
  const authFetch = createFetch(auth, { allowedOrigins: [API] })
  const client = createClient<paths>({ baseUrl: API, fetch: authFetch })
  const session = await server.issueTokens()
  await auth.setTokens(session)
  return { auth, client, session }
}

describe('openapi-fetch with the retoken fetch', () => {
  const { server, clock } = useMockAuthServer()

  it('should attach the token', async () => {
    const { client, session } = await openapiClient(server, clock)
    const { data, error, response } = await client.GET('/api/echo')
    expect(error).toBeUndefined()
    expect(response.status).toBe(200)
    expect(data?.headers.authorization).toBe(`Bearer ${session.accessToken}`)
  })

  it('should refresh once for 20 concurrent 401s and retry each request exactly once', async () => {
    const { client, auth, session } = await openapiClient(server, clock, { refreshMargin: 0 })
    const retried = recordRetriedIds(auth)
    server.clock.setOffset(61)

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.GET('/api/echo', { params: { query: { i } } })),
    )

    expect(results.every(({ response }) => response.status === 200)).toBe(true)
    expect(results.every(({ error }) => error === undefined)).toBe(true)
    expect(server.counters.refreshCalls).toBe(1)
    expect(server.counters.expiredTokenRequests).toBe(20)
    expect(server.counters.requestsByRoute['GET /api/echo']).toBe(40)
    expect(retried).toHaveLength(20)
    expect(new Set(retried).size).toBe(20)
    const fresh = auth.getState().accessToken
    expect(fresh).not.toBe(session.accessToken)
    expect(results.every(({ data }) => data?.headers.authorization === `Bearer ${fresh}`)).toBe(
      true,
    )
    expect(results.map(({ data }) => Number(data?.query.i))).toEqual(
      Array.from({ length: 20 }, (_, i) => i),
    )
  })

  it('should retry a POST with the same JSON body and query', async () => {
    const { client, auth } = await openapiClient(server, clock, { refreshMargin: 0 })
    const retried = recordRetriedIds(auth)
    server.clock.setOffset(61)

    const { data, response } = await client.POST('/api/upload', {
      params: { query: { folder: 'inbox' } },
      body: { name: 'report.pdf', size: 1024 },
      headers: { 'X-Request-Id': 'abc-123' },
    })

    expect(response.status).toBe(200)
    expect(retried).toHaveLength(1)
    expect(server.counters.requestsByRoute['POST /api/upload']).toBe(2)
    expect(data?.method).toBe('POST')
    expect(data?.body).toEqual({ name: 'report.pdf', size: 1024 })
    expect(data?.query).toEqual({ folder: 'inbox' })
    expect(data?.headers['x-request-id']).toBe('abc-123')
    expect(data?.headers['content-type']).toMatch(/application\/json/)
    expect(data?.headers.authorization).toBe(`Bearer ${auth.getState().accessToken}`)
  })

  it('should run middleware once per call, around the retried request', async () => {
    const { client, auth } = await openapiClient(server, clock, { refreshMargin: 0 })
    const seen: string[] = []
    client.use({
      onRequest: ({ request }) => {
        seen.push(`request ${request.headers.get('authorization') ?? 'none'}`)
      },
      onResponse: ({ response }) => {
        seen.push(`response ${response.status}`)
      },
    })
    server.clock.setOffset(61)
    await client.GET('/api/echo')
    // the token is added below middleware, and the refused first try never reaches it
    expect(seen).toEqual(['request none', 'response 200'])
    expect(auth.getState().accessToken).toBeTruthy()
  })

  it('should renew a token near expiry once for a burst, before sending', async () => {
    const { client } = await openapiClient(server, clock)
    clock.advance(50)
    await Promise.all(Array.from({ length: 10 }, () => client.GET('/api/echo')))
    expect(server.counters.refreshCalls).toBe(1)
    expect(server.counters.expiredTokenRequests).toBe(0)
  })

  it('should reject with SessionExpiredError when the refresh is rejected', async () => {
    const { client, auth } = await openapiClient(server, clock, { refreshMargin: 0 })
    server.faults.revokeAllSessions()
    const error = await client.GET('/api/echo').catch((e: unknown) => e)
    expect(isSessionExpiredError(error)).toBe(true)
    expect(auth.getState().status).toBe('unauthenticated')
    // afterwards the request goes out without a token: openapi-fetch reports the 401
    const { error: refused, response } = await client.GET('/api/echo')
    expect(response.status).toBe(401)
    expect(refused?.error).toBe('invalid_token')
    expect(server.counters.refreshCalls).toBe(1)
  })

  it('should reject with the signal’s reason when a queued call is aborted', async () => {
    const { refresh, release } = gatedFetchRefresh()
    const { client, auth } = await openapiClient(server, clock, { refreshMargin: 0, refresh })
    const queued: number[] = []
    auth.on('requestQueued', ({ request }) => queued.push(request.id))
    server.clock.setOffset(61)
    const controller = new AbortController()
    const aborted = client.GET('/api/echo', { signal: controller.signal })
    const other = client.GET('/api/echo')
    await vi.waitFor(() => expect(queued).toHaveLength(2))
    const reason = new Error('left the page')
    controller.abort(reason)
    await expect(aborted).rejects.toBe(reason)
    release()
    expect((await other).response.status).toBe(200)
  })
})
