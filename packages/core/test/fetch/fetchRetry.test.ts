import { HttpResponse, http } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import {
  type AuthOptions,
  BodyNotReplayableError,
  createAuth,
  createFetch,
  isBodyNotReplayableError,
  isRefreshFailedError,
  isSessionExpiredError,
  memoryStorage,
  RefreshFailedError,
  type RefreshResult,
  SessionExpiredError,
} from '../../src/index'
import { recordEvents, useMockAuthServer } from '../harness'
import {
  API,
  echoOf,
  expireOnServer,
  gatedFetchRefresh,
  loggedInFetch,
  recordingRoute,
  recordRetriedIds,
} from './fetchHarness'

const streamOf = (...chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk))
      controller.close()
    },
  })

// undici needs it for a streamed body; the DOM RequestInit type does not know it yet
const halfDuplex = { duplex: 'half' } as RequestInit

describe('createFetch: a retried request', () => {
  const { server, network, clock } = useMockAuthServer()

  it('should keep its method, JSON body, query and headers; only the token changes', async () => {
    const { authFetch, auth, session } = await loggedInFetch(server, clock, { refreshMargin: 0 })
    const retried: string[] = []
    auth.on('requestRetried', ({ request }) => retried.push(request.url))
    expireOnServer(server)

    const response = await authFetch(`${API}/api/upload?folder=inbox`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'abc-123' },
      body: JSON.stringify({ name: 'report.pdf', size: 1024 }),
    })

    expect(response.status).toBe(200)
    expect(retried).toEqual([`${API}/api/upload?folder=inbox`])
    expect(server.counters.requestsByRoute['POST /api/upload']).toBe(2)
    const echo = await echoOf(response)
    expect(echo.method).toBe('POST')
    expect(echo.body).toEqual({ name: 'report.pdf', size: 1024 })
    expect(echo.query).toEqual({ folder: 'inbox' })
    expect(echo.headers['x-request-id']).toBe('abc-123')
    expect(echo.headers['content-type']).toMatch(/application\/json/)
    const fresh = auth.getState().accessToken
    expect(fresh).not.toBe(session.accessToken)
    expect(echo.headers.authorization).toBe(`Bearer ${fresh}`)
  })

  const bodies: Array<[string, () => BodyInit, RegExp | null]> = [
    ['a JSON string', () => JSON.stringify({ a: 1, nested: { b: [1, 2] } }), /^text\/plain/],
    ['URLSearchParams', () => new URLSearchParams({ a: '1', b: 'two words' }), /urlencoded/],
    [
      'FormData with a file',
      () => {
        const form = new FormData()
        form.append('title', 'report')
        form.append('file', new Blob(['%PDF-1.7 binary'], { type: 'application/pdf' }), 'r.pdf')
        return form
      },
      /^multipart\/form-data; boundary=/,
    ],
    [
      'a Blob',
      () => new Blob(['bytes \u0000 and more'], { type: 'application/octet-stream' }),
      /^application\/octet-stream$/,
    ],
    ['a Uint8Array', () => new Uint8Array([0, 1, 2, 250, 255]), null],
    ['an ArrayBuffer', () => new Uint8Array([9, 8, 7]).buffer, null],
  ]

  it.each(bodies)('should send %s body again, byte for byte', async (_, body, contentType) => {
    const route = recordingRoute('/h/record')
    network.use(route.handler)
    const { authFetch, auth, session } = await loggedInFetch(server, clock)

    const response = await authFetch(`${API}/h/record`, {
      method: 'POST',
      headers: { 'X-Kept': 'yes' },
      body: body(),
    })

    expect(response.status).toBe(200)
    expect(server.counters.refreshCalls).toBe(1)
    expect(route.arrivals).toHaveLength(2)
    const [first, retry] = route.arrivals
    expect(retry?.method).toBe('POST')
    expect(retry?.body).toBe(first?.body)
    expect(retry?.body.length).toBeGreaterThan(0)
    expect(retry?.headers['content-type']).toBe(first?.headers['content-type'])
    if (contentType) expect(retry?.headers['content-type']).toMatch(contentType)
    expect(retry?.headers['x-kept']).toBe('yes')
    expect(first?.headers.authorization).toBe(`Bearer ${session.accessToken}`)
    expect(retry?.headers.authorization).toBe(`Bearer ${auth.getState().accessToken}`)
  })

  it('should send the FormData fields again', async () => {
    const received: Array<Record<string, string>> = []
    let arrivals = 0
    network.use(
      http.post(`${API}/h/form`, async ({ request }) => {
        arrivals += 1
        const form = await request.formData()
        const fields: Record<string, string> = {}
        for (const [key, value] of form) {
          fields[key] = typeof value === 'string' ? value : `${value.name}:${await value.text()}`
        }
        received.push(fields)
        return arrivals === 1
          ? HttpResponse.json({}, { status: 401 })
          : HttpResponse.json({ ok: true })
      }),
    )
    const { authFetch } = await loggedInFetch(server, clock)
    const form = new FormData()
    form.append('title', 'report')
    form.append('file', new File(['file contents'], 'notes.txt', { type: 'text/plain' }))
    expect((await authFetch(`${API}/h/form`, { method: 'POST', body: form })).status).toBe(200)
    expect(received).toEqual([
      { title: 'report', file: 'notes.txt:file contents' },
      { title: 'report', file: 'notes.txt:file contents' },
    ])
  })

  it.each(['PUT', 'PATCH', 'DELETE'])('should keep the method %s and its body', async (method) => {
    const route = recordingRoute('/h/method')
    network.use(route.handler)
    const { authFetch } = await loggedInFetch(server, clock)
    const response = await authFetch(`${API}/h/method`, { method, body: `${method} body` })
    expect(response.status).toBe(200)
    expect(route.arrivals.map(({ method }) => method)).toEqual([method, method])
    expect(route.arrivals.map(({ body }) => body)).toEqual([`${method} body`, `${method} body`])
  })

  it('should send a Request object given as input again, with its method, headers and body', async () => {
    const route = recordingRoute('/h/request')
    network.use(route.handler)
    const { authFetch, auth } = await loggedInFetch(server, clock)
    const request = new Request(`${API}/h/request?x=1`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', 'X-Trace': 't-42' },
      body: JSON.stringify({ id: 7, tags: ['a', 'b'] }),
    })

    const response = await authFetch(request)

    expect(response.status).toBe(200)
    expect(route.arrivals).toHaveLength(2)
    for (const arrival of route.arrivals) {
      expect(arrival.method).toBe('PUT')
      expect(arrival.url).toBe(`${API}/h/request?x=1`)
      expect(arrival.headers['content-type']).toBe('application/json')
      expect(arrival.headers['x-trace']).toBe('t-42')
      expect(JSON.parse(arrival.body)).toEqual({ id: 7, tags: ['a', 'b'] })
    }
    expect(route.arrivals[1]?.headers.authorization).toBe(`Bearer ${auth.getState().accessToken}`)
  })

  it('should let init override a Request object given as input, on the retry too', async () => {
    const route = recordingRoute('/h/override')
    network.use(route.handler)
    const { authFetch } = await loggedInFetch(server, clock)
    const request = new Request(`${API}/h/override`, { method: 'POST', body: 'from request' })
    const response = await authFetch(request, {
      method: 'PATCH',
      body: 'from init',
      headers: { 'X-Init': '1' },
    })
    expect(response.status).toBe(200)
    expect(route.arrivals.map(({ method, body }) => `${method} ${body}`)).toEqual([
      'PATCH from init',
      'PATCH from init',
    ])
    expect(route.arrivals.every(({ headers }) => headers['x-init'] === '1')).toBe(true)
  })

  it('should send a streamed body that is accepted the first time', async () => {
    const { authFetch } = await loggedInFetch(server, clock)
    const response = await authFetch(`${API}/api/upload`, {
      method: 'POST',
      body: streamOf('{"streamed":', 'true}'),
      ...halfDuplex,
    })
    expect(response.status).toBe(200)
    expect((await echoOf(response)).body).toEqual({ streamed: true })
  })

  it('should reject a refused streamed body with BodyNotReplayableError, after refreshing', async () => {
    const { authFetch, auth, session } = await loggedInFetch(server, clock, { refreshMargin: 0 })
    const retried = recordRetriedIds(auth)
    expireOnServer(server)

    const error = await authFetch(`${API}/api/upload`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: streamOf('{"chunk":', '1}'),
      ...halfDuplex,
    }).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(BodyNotReplayableError)
    expect(isBodyNotReplayableError(error)).toBe(true)
    const refused = (error as BodyNotReplayableError).response
    expect(refused).toBeInstanceOf(Response)
    expect(refused.status).toBe(401)
    // the session was renewed all the same: the caller can send the request again
    expect(server.counters.refreshCalls).toBe(1)
    expect(auth.getState().status).toBe('authenticated')
    expect(auth.getState().accessToken).not.toBe(session.accessToken)
    expect(server.counters.requestsByRoute['POST /api/upload']).toBe(1)
    expect(retried).toEqual([])

    const again = await authFetch(`${API}/api/upload`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: streamOf('{"chunk":', '1}'),
      ...halfDuplex,
    })
    expect(again.status).toBe(200)
    expect(server.counters.refreshCalls).toBe(1)
  })
  it('should reject a refused async-iterable body with BodyNotReplayableError', async () => {
    const { authFetch, auth } = await loggedInFetch(server, clock, { refreshMargin: 0 })
    const retried = recordRetriedIds(auth)
    expireOnServer(server)
    async function* chunks() {
      yield new TextEncoder().encode('{"part":')
      yield new TextEncoder().encode('2}')
    }
    const error = await authFetch(`${API}/api/upload`, {
      method: 'POST',
      body: chunks() as unknown as BodyInit,
      ...halfDuplex,
    }).catch((e: unknown) => e)
    expect(isBodyNotReplayableError(error)).toBe(true)
    expect(server.counters.refreshCalls).toBe(1)
    expect(retried).toEqual([])
  })
})

describe('createFetch: abort and logout', () => {
  const { server, network, clock } = useMockAuthServer()

  it('should reject a request aborted while queued at once, with the signal’s reason', async () => {
    const { refresh, release } = gatedFetchRefresh()
    const { authFetch, auth } = await loggedInFetch(server, clock, { refreshMargin: 0, refresh })
    const queued: number[] = []
    auth.on('requestQueued', ({ request }) => queued.push(request.id))
    const retried = recordRetriedIds(auth)
    expireOnServer(server)
    const controller = new AbortController()

    const aborted = authFetch(`${API}/api/echo?who=aborted`, { signal: controller.signal })
    const other = authFetch(`${API}/api/echo?who=other`)
    await vi.waitFor(() => expect(queued).toHaveLength(2))
    const reason = new Error('the user left the page')
    controller.abort(reason)

    // settles before the refresh does
    await expect(aborted).rejects.toBe(reason)
    expect(auth.getState().isRefreshing).toBe(true)
    release()
    const response = await other
    expect(response.status).toBe(200)
    expect((await echoOf(response)).query).toEqual({ who: 'other' })
    expect(server.counters.refreshCalls).toBe(1)
    // the aborted request was not sent again
    expect(server.counters.requestsByRoute['GET /api/echo']).toBe(3)
    expect(retried).toEqual([queued[1]])
  })

  it('should reject with an AbortError DOMException when aborted without a reason', async () => {
    const { refresh, release } = gatedFetchRefresh()
    const { authFetch, auth } = await loggedInFetch(server, clock, { refreshMargin: 0, refresh })
    const queued = new Promise<void>((resolve) => auth.on('requestQueued', () => resolve()))
    expireOnServer(server)
    const controller = new AbortController()
    const aborted = authFetch(`${API}/api/echo`, { signal: controller.signal })
    await queued
    controller.abort()
    const error = await aborted.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DOMException)
    expect((error as DOMException).name).toBe('AbortError')
    expect(error).toBe(controller.signal.reason)
    release()
    await vi.waitFor(() => expect(auth.getState().isRefreshing).toBe(false))
    expect(auth.getState().status).toBe('authenticated')
  })

  it('should reject a request queued behind a proactive renewal when it aborts', async () => {
    const { refresh, release } = gatedFetchRefresh()
    const { authFetch, auth } = await loggedInFetch(server, clock, { refresh })
    const queued: number[] = []
    auth.on('requestQueued', ({ request }) => queued.push(request.id))
    clock.advance(50) // due for renewal
    const controller = new AbortController()
    const aborted = authFetch(`${API}/api/echo`, { signal: controller.signal })
    const other = authFetch(`${API}/api/echo`)
    await vi.waitFor(() => expect(queued).toHaveLength(2))
    const reason = new Error('gone')
    controller.abort(reason)
    await expect(aborted).rejects.toBe(reason)
    release()
    expect((await other).status).toBe(200)
    expect(server.counters.requestsByRoute['GET /api/echo']).toBe(1)
    expect(server.counters.refreshCalls).toBe(1)
  })

  it('should follow the signal of a Request given as input while it is queued', async () => {
    const { refresh, release } = gatedFetchRefresh()
    const { authFetch, auth } = await loggedInFetch(server, clock, { refreshMargin: 0, refresh })
    const queued: number[] = []
    auth.on('requestQueued', ({ request }) => queued.push(request.id))
    expireOnServer(server)
    const controller = new AbortController()
    const aborted = authFetch(new Request(`${API}/api/echo`, { signal: controller.signal }))
    await vi.waitFor(() => expect(queued).toHaveLength(1))
    const reason = new Error('navigated away')
    controller.abort(reason)
    await expect(aborted).rejects.toBe(reason)
    release()
    await vi.waitFor(() => expect(auth.getState().isRefreshing).toBe(false))
    expect(server.counters.requestsByRoute['GET /api/echo']).toBe(1)
  })

  it('should hand back a 401 that arrives after logout, and start no refresh', async () => {
    let answer = () => {}
    const answered = new Promise<void>((resolve) => {
      answer = resolve
    })
    let arrived = false
    network.use(
      http.get(`${API}/api/slow-refusal`, async () => {
        arrived = true
        await answered
        return HttpResponse.json({ error: 'token_expired' }, { status: 401 })
      }),
    )
    const { authFetch, auth } = await loggedInFetch(server, clock)
    const retried = recordRetriedIds(auth)
    const pending = authFetch(`${API}/api/slow-refusal`)
    await vi.waitFor(() => expect(arrived).toBe(true))
    await auth.logout()
    answer()
    const response = await pending
    expect(response.status).toBe(401)
    expect(server.counters.refreshCalls).toBe(0)
    expect(retried).toEqual([])
  })

  it('should reject with the reason of a signal aborted before the call', async () => {
    const { authFetch } = await loggedInFetch(server, clock)
    const reason = new Error('too late')
    await expect(authFetch(`${API}/api/echo`, { signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    )
    expect(server.counters.requestsByRoute['GET /api/echo']).toBeUndefined()
  })

  it('should reject requests queued at logout with an AbortError DOMException', async () => {
    const { refresh, release } = gatedFetchRefresh()
    const storage = memoryStorage()
    const { authFetch, auth } = await loggedInFetch(server, clock, {
      refreshMargin: 0,
      refresh,
      storage,
    })
    const events = recordEvents(auth)
    const queued: number[] = []
    auth.on('requestQueued', ({ request }) => queued.push(request.id))
    expireOnServer(server)

    const pending = [authFetch(`${API}/api/echo`), authFetch(`${API}/api/orders`)].map((p) =>
      p.catch((e: unknown) => e),
    )
    await vi.waitFor(() => expect(queued).toHaveLength(2))
    await auth.logout()

    for (const error of await Promise.all(pending)) {
      expect(error).toBeInstanceOf(DOMException)
      expect((error as DOMException).name).toBe('AbortError')
    }
    release()
    await vi.waitFor(() => expect(auth.getState().isRefreshing).toBe(false))
    expect(auth.getState()).toMatchObject({ status: 'unauthenticated', accessToken: null })
    expect(events).toContain('loggedOut')
    expect(events).not.toContain('refreshSucceeded')
    expect(events).not.toContain('requestRetried')
    expect(await storage.get()).toBeNull()
    // only the two refused first attempts reached the API
    expect(server.counters.requestsByRoute['GET /api/echo']).toBe(1)
    expect(server.counters.requestsByRoute['GET /api/orders']).toBe(1)
  })
})

describe('createFetch: refresh failures', () => {
  const { server, clock } = useMockAuthServer()

  it('should reject every request with SessionExpiredError when the refresh is rejected', async () => {
    const storage = memoryStorage()
    const { authFetch, auth } = await loggedInFetch(server, clock, { storage, refreshMargin: 0 })
    const events = recordEvents(auth)
    server.faults.revokeAllSessions()

    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => authFetch(`${API}/api/echo`)),
    )

    for (const result of results) {
      expect(result.status).toBe('rejected')
      const reason = (result as PromiseRejectedResult).reason
      expect(reason).toBeInstanceOf(SessionExpiredError)
      expect(isSessionExpiredError(reason)).toBe(true)
    }
    expect(server.counters.refreshCalls).toBe(1)
    expect(events.filter((e) => e === 'sessionExpired')).toHaveLength(1)
    expect(events).not.toContain('requestRetried')
    expect(auth.getState()).toMatchObject({ status: 'unauthenticated', accessToken: null })
    expect(isSessionExpiredError(auth.getState().error)).toBe(true)
    await vi.waitFor(async () => expect(await storage.get()).toBeNull())

    // later requests go out without a token and start nothing
    const later = await authFetch(`${API}/api/echo`)
    expect(later.status).toBe(401)
    expect(server.counters.refreshCalls).toBe(1)
  })

  it.each([
    ['a 500', 'server-error'],
    ['a network error', 'network-error'],
  ] as const)(
    'should reject with RefreshFailedError after %s and keep the session',
    async (_, mode) => {
      const { refresh, release } = gatedFetchRefresh()
      const { authFetch, auth, session } = await loggedInFetch(server, clock, {
        refreshMargin: 0,
        refresh,
      })
      const events = recordEvents(auth)
      const queued: number[] = []
      auth.on('requestQueued', ({ request }) => queued.push(request.id))
      expireOnServer(server)
      server.faults.failNextRefresh(1, mode)

      // both refused requests wait for the one refresh that fails
      const all = Promise.allSettled([authFetch(`${API}/api/echo`), authFetch(`${API}/api/orders`)])
      await vi.waitFor(() => expect(queued).toHaveLength(2))
      release()
      const results = await all
      for (const result of results) {
        expect(result.status).toBe('rejected')
        const reason = (result as PromiseRejectedResult).reason
        expect(reason).toBeInstanceOf(RefreshFailedError)
        expect(isRefreshFailedError(reason)).toBe(true)
      }
      expect(server.counters.refreshCalls).toBe(1)
      expect(auth.getState()).toMatchObject({
        status: 'authenticated',
        accessToken: session.accessToken,
        error: null,
      })
      expect(events).not.toContain('sessionExpired')

      const next = await authFetch(`${API}/api/echo`)
      expect(next.status).toBe(200)
      expect(server.counters.refreshCalls).toBe(2)
    },
  )

  // everything an error can show: its message, stack, own fields and causes
  const everything = (error: unknown): string => {
    const seen = new WeakSet<object>()
    const parts: string[] = [String(error)]
    try {
      parts.push(JSON.stringify(error))
    } catch {
      // circular: the walk below covers it
    }
    const walk = (value: unknown, depth: number) => {
      if (typeof value === 'string') return void parts.push(value)
      if (typeof value !== 'object' || value === null || depth > 8 || seen.has(value)) return
      seen.add(value)
      for (const key of Object.getOwnPropertyNames(value)) {
        try {
          walk((value as Record<string, unknown>)[key], depth + 1)
        } catch {
          // a getter that throws
        }
      }
      if ('cause' in value) walk((value as { cause: unknown }).cause, depth + 1)
    }
    walk(error, 0)
    return parts.join('\n')
  }

  // a refresh that, as HTTP client errors do, keeps the request body in the error
  const leakyRefresh: AuthOptions['refresh'] = async ({ refreshToken, signal }) => {
    const body = JSON.stringify({ refreshToken })
    let response: Response
    try {
      response = await fetch(`${API}/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal,
      })
    } catch (cause) {
      throw Object.assign(new Error(`POST /auth/refresh ${body} failed`, { cause }), {
        config: { data: body },
      })
    }
    if (!response.ok) {
      throw Object.assign(new Error(`refresh failed for ${refreshToken}`), {
        status: response.status,
        request: { body },
        cause: new Error(`sent ${body}`),
      })
    }
    return (await response.json()) as RefreshResult
  }

  it.each([
    ['rejected (401)', 'revoke'],
    ['failing with a 500', 'server-error'],
    ['failing on the network', 'network-error'],
  ] as const)(
    'should never show the refresh token in an error when the refresh is %s',
    async (_, mode) => {
      const { authFetch, auth, session } = await loggedInFetch(server, clock, {
        refreshMargin: 0,
        refresh: leakyRefresh,
      })
      const failures: unknown[] = []
      auth.on('refreshFailed', ({ error }) => failures.push(error))
      if (mode === 'revoke') server.faults.revokeAllSessions()
      else {
        expireOnServer(server)
        server.faults.failNextRefresh(1, mode)
      }

      const error = await authFetch(`${API}/api/echo`).catch((e: unknown) => e)

      expect(error).toBeInstanceOf(mode === 'revoke' ? SessionExpiredError : RefreshFailedError)
      expect(failures).toHaveLength(1)
      for (const thrown of [error, ...failures, auth.getState().error]) {
        const shown = everything(thrown)
        expect(shown).not.toContain(session.refreshToken)
        expect(JSON.stringify(thrown) ?? '').not.toContain(session.refreshToken)
        expect(String(thrown)).not.toContain(session.refreshToken)
      }
      // the refresh's own error is kept as the cause, cleaned
      expect(everything(error)).toContain('[redacted]')
    },
  )

  it('should never show the refresh token with the plain fetch refresh either', async () => {
    const { authFetch, session } = await loggedInFetch(server, clock, { refreshMargin: 0 })
    server.faults.revokeAllSessions()
    const error = await authFetch(`${API}/api/echo`).catch((e: unknown) => e)
    expect(isSessionExpiredError(error)).toBe(true)
    expect(JSON.stringify(error)).not.toContain(session.refreshToken)
    expect(String(error)).not.toContain(session.refreshToken)
    expect(everything(error)).not.toContain(session.refreshToken)
  })

  it('should not refresh again for a request that failed while the refresh failed', async () => {
    const auth = createAuth({
      refresh: async () => Promise.reject(new Error('down')),
      now: clock.now,
    })
    const authFetch = createFetch(auth, { allowedOrigins: [API] })
    await auth.setTokens(await server.issueTokens())
    expireOnServer(server)
    await expect(authFetch(`${API}/api/echo`)).rejects.toSatisfy(isRefreshFailedError)
    expect(server.counters.requestsByRoute['GET /api/echo']).toBe(1)
  })
})
