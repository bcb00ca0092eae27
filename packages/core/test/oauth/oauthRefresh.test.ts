import { inspect } from 'node:util'
import axios from 'axios'
import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import {
  createAuth,
  createFetch,
  isInvalidOptionsError,
  isOAuthError,
  isRefreshFailedError,
  isSessionExpiredError,
  logTimeline,
  type OAuthRefreshOptions,
  oauthRefresh,
} from '../../src/index'
import { API, useMockAuthServer } from '../harness'

const TOKEN_ENDPOINT = `${API}/oauth/token`

describe('oauthRefresh', () => {
  const { server, network, clock } = useMockAuthServer()

  /** Every form the token endpoint received, as the server saw it. */
  const recordTokenRequests = () => {
    const seen: { body: URLSearchParams; headers: Headers }[] = []
    network.events.on('request:start', async ({ request }) => {
      if (!request.url.endsWith('/oauth/token')) return
      seen.push({
        body: new URLSearchParams(await request.clone().text()),
        headers: request.headers,
      })
    })
    return seen
  }

  const client = async (options: Partial<OAuthRefreshOptions> = {}) => {
    const auth = createAuth({
      refresh: oauthRefresh({ tokenEndpoint: TOKEN_ENDPOINT, clientId: 'spa', ...options }),
      now: clock.now,
    })
    const api = axios.create({ baseURL: API })
    auth.attach(api)
    const session = await server.issueTokens()
    await auth.setTokens(session)
    return { auth, api, session }
  }

  const expireOnServer = () => server.clock.setOffset(61)

  it('should refresh once for a burst of 401s and retry every request once, keeping the rotated token', async () => {
    const { api, session } = await client()
    const seen = recordTokenRequests()
    expireOnServer()
    const results = await Promise.all(Array.from({ length: 10 }, () => api.get('/api/orders')))
    expect(results.every((r) => r.status === 200)).toBe(true)
    expect(server.counters.refreshCalls).toBe(1)
    expect(server.counters.requestsByRoute['GET /api/orders']).toBe(20)
    expect(seen[0]?.body.get('grant_type')).toBe('refresh_token')
    expect(seen[0]?.body.get('refresh_token')).toBe(session.refreshToken)
    expect(seen[0]?.body.get('client_id')).toBe('spa')
    expect(seen[0]?.body.has('scope')).toBe(false)
    expect(seen[0]?.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/)

    // the second refresh presents the rotated token: reusing the first would revoke the session
    server.clock.setOffset(122)
    await api.get('/api/orders')
    expect(server.counters.refreshCalls).toBe(2)
    expect(seen[1]?.body.get('refresh_token')).not.toBe(session.refreshToken)
    expect(server.counters.reuseDetections).toBe(0)
  })

  it('should work through createFetch the same way', async () => {
    const auth = createAuth({
      refresh: oauthRefresh({ tokenEndpoint: TOKEN_ENDPOINT, clientId: 'spa' }),
      now: clock.now,
    })
    const authFetch = createFetch(auth, { allowedOrigins: [API] })
    await auth.setTokens(await server.issueTokens())
    expireOnServer()
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => authFetch(`${API}/api/orders`)),
    )
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
    expect(server.counters.refreshCalls).toBe(1)
    expect(server.counters.requestsByRoute['GET /api/orders']).toBe(10)
  })

  it('should honour expires_in for opaque tokens', async () => {
    const auth = createAuth({
      refresh: oauthRefresh({ tokenEndpoint: TOKEN_ENDPOINT, clientId: 'spa' }),
      now: clock.now,
      tokenFormat: 'opaque',
    })
    await auth.setTokens({ ...(await server.issueTokens()), expiresIn: 1 })
    await auth.refresh()
    // the mock server's tokens live 60 s, and nothing but expires_in says so to an opaque client
    expect(auth.getState().expiresAt).toBe(clock.now() + 60_000)
  })

  it('should send the scope when asked, and authenticate confidential clients', async () => {
    const seen = recordTokenRequests()
    const basic = await client({
      clientId: 'my app',
      clientSecret: 's3cr:t é',
      scope: 'orders:read',
    })
    await basic.auth.refresh()
    expect(seen[0]?.body.get('scope')).toBe('orders:read')
    expect(seen[0]?.body.has('client_id')).toBe(false)
    const encoded = seen[0]?.headers.get('authorization')?.replace(/^Basic /, '') ?? ''
    expect(atob(encoded)).toBe('my+app:s3cr%3At+%C3%A9')

    const post = await client({ clientSecret: 'shh', clientAuthentication: 'client_secret_post' })
    await post.auth.refresh()
    expect(seen[1]?.body.get('client_id')).toBe('spa')
    expect(seen[1]?.body.get('client_secret')).toBe('shh')
    expect(seen[1]?.headers.has('authorization')).toBe(false)

    const custom = await client({
      clientAuthentication: ({ body }) => body.set('client_assertion', 'signed-jwt'),
    })
    await custom.auth.refresh()
    expect(seen[2]?.body.get('client_assertion')).toBe('signed-jwt')
  })

  it('should end the session on invalid_grant, with no refresh token in the error or the log', async () => {
    const { auth, api, session } = await client()
    const lines: string[] = []
    logTimeline(auth, (line, details) => lines.push(line, inspect(details, { depth: 10 })))
    const expired: unknown[] = []
    auth.on('sessionExpired', ({ error }) => expired.push(error))
    server.faults.revokeAllSessions()
    expireOnServer()
    const error = await api.get('/api/orders').catch((e: unknown) => e)
    expect(isSessionExpiredError(error)).toBe(true)
    const cause = (error as { cause: unknown }).cause
    expect(isOAuthError(cause) && cause.code).toBe('invalid_grant')
    expect(isOAuthError(cause) && cause.status).toBe(400)
    expect(expired).toHaveLength(1)
    expect(auth.getState().status).toBe('unauthenticated')
    const everything = [inspect(error, { depth: 10 }), JSON.stringify(cause), ...lines].join('\n')
    expect(everything).not.toContain(session.refreshToken)
  })

  it('should report invalid_client clearly and keep the session', async () => {
    const { auth, api, session } = await client()
    network.use(
      http.post(TOKEN_ENDPOINT, () =>
        HttpResponse.json(
          { error: 'invalid_client', error_description: 'Client authentication failed' },
          { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="auth"' } },
        ),
      ),
    )
    expireOnServer()
    const error = await api.get('/api/orders').catch((e: unknown) => e)
    expect(isRefreshFailedError(error)).toBe(true)
    expect((error as Error).message).toContain('invalid_client: Client authentication failed')
    expect((error as Error).message).toContain('check the client id')
    const cause = (error as { cause: unknown }).cause
    expect(isOAuthError(cause) && cause.code).toBe('invalid_client')
    expect(auth.getState().status).toBe('authenticated')
    expect(inspect(error, { depth: 10 })).not.toContain(session.refreshToken)
  })

  it.each([
    ['a 500', () => server.faults.failNextRefresh(1, 'server-error')],
    ['a network error', () => server.faults.failNextRefresh(1, 'network-error')],
    [
      'a 429',
      () =>
        network.use(
          http.post(
            TOKEN_ENDPOINT,
            () => HttpResponse.json({ error: 'slow_down' }, { status: 429 }),
            { once: true },
          ),
        ),
    ],
    [
      'a 503 with an HTML body',
      () =>
        network.use(
          http.post(TOKEN_ENDPOINT, () => HttpResponse.html('<h1>down</h1>', { status: 503 }), {
            once: true,
          }),
        ),
    ],
  ])(
    'should treat %s as transient: the session is kept and the next request refreshes',
    async (_, fail) => {
      const { auth, api } = await client()
      fail()
      expireOnServer()
      const error = await api.get('/api/orders').catch((e: unknown) => e)
      expect(isRefreshFailedError(error)).toBe(true)
      expect(auth.getState().status).toBe('authenticated')
      await expect(api.get('/api/orders')).resolves.toMatchObject({ status: 200 })
      expect(server.counters.reuseDetections).toBe(0)
    },
  )

  it.each([
    [{ access_token: 'a.b.c', token_type: 'mac' }, 'token_type mac is not Bearer'],
    [{ access_token: 'a.b.c', token_type: 'DPoP' }, 'token_type DPoP is not Bearer'],
    [{ access_token: 'a.b.c' }, 'token_type undefined'],
    [{ token_type: 'Bearer' }, 'no access_token'],
    [{ access_token: 'x', token_type: 'Bearer', expires_in: -1 }, 'expires_in'],
    [{ access_token: 'x', token_type: 'Bearer', refresh_token: 7 }, 'refresh_token'],
  ])('should refuse the unusable answer %j', async (answer, problem) => {
    const { auth } = await client()
    network.use(http.post(TOKEN_ENDPOINT, () => HttpResponse.json(answer)))
    const error = await auth.refresh().catch((e: unknown) => e)
    expect(isRefreshFailedError(error)).toBe(true)
    expect(String(error)).toContain(problem)
    expect(auth.getState().status).toBe('authenticated')
  })

  it('should accept token_type in any case and expires_in as a string', async () => {
    const { auth } = await client()
    const fresh = await server.issueTokens()
    network.use(
      http.post(TOKEN_ENDPOINT, () =>
        HttpResponse.json({
          access_token: fresh.accessToken,
          token_type: 'bearer',
          expires_in: '60',
        }),
      ),
    )
    await expect(auth.refresh()).resolves.toBe(fresh.accessToken)
  })

  it('should discover the token endpoint from the issuer once', async () => {
    const auth = createAuth({
      refresh: oauthRefresh({ issuer: API, clientId: 'spa', fetch: (...args) => fetch(...args) }),
      now: clock.now,
    })
    await auth.setTokens(await server.issueTokens())
    await auth.refresh()
    await auth.refresh()
    expect(server.counters.requestsByRoute['GET /.well-known/openid-configuration']).toBe(1)
    expect(server.counters.refreshCalls).toBe(2)
  })

  it('should fall back to RFC 8414 metadata, and look again after a failed discovery', async () => {
    network.use(
      http.get(
        `${API}/.well-known/openid-configuration`,
        () => new HttpResponse(null, { status: 404 }),
      ),
      http.get(`${API}/.well-known/oauth-authorization-server`, () => HttpResponse.error(), {
        once: true,
      }),
    )
    const auth = createAuth({
      refresh: oauthRefresh({ issuer: API, clientId: 'spa' }),
      now: clock.now,
    })
    await auth.setTokens(await server.issueTokens())
    expect(isRefreshFailedError(await auth.refresh().catch((e: unknown) => e))).toBe(true)
    await auth.refresh()
    expect(server.counters.refreshCalls).toBe(1)
  })

  it('should refuse metadata that names another issuer', async () => {
    network.use(
      http.get(`${API}/.well-known/openid-configuration`, () =>
        HttpResponse.json({
          issuer: 'https://evil.test',
          token_endpoint: 'https://evil.test/token',
        }),
      ),
    )
    const auth = createAuth({
      refresh: oauthRefresh({ issuer: API, clientId: 'spa' }),
      now: clock.now,
    })
    await auth.setTokens(await server.issueTokens())
    const error = await auth.refresh().catch((e: unknown) => e)
    expect(String(error)).toContain('names the issuer https://evil.test')
    expect(server.counters.refreshCalls).toBe(0)
  })

  it('should say which option is wrong', () => {
    const bad: unknown[] = [
      undefined,
      { clientId: 'spa' },
      { clientId: 'spa', issuer: API, tokenEndpoint: TOKEN_ENDPOINT },
      { clientId: 'spa', tokenEndpoint: '/oauth/token' },
      { clientId: '', tokenEndpoint: TOKEN_ENDPOINT },
      { clientId: 'spa', tokenEndpoint: TOKEN_ENDPOINT, clientAuthentication: 'private_key_jwt' },
      {
        clientId: 'spa',
        tokenEndpoint: TOKEN_ENDPOINT,
        clientAuthentication: 'client_secret_post',
      },
    ]
    for (const options of bad) {
      let thrown: unknown
      try {
        oauthRefresh(options as OAuthRefreshOptions)
      } catch (error) {
        thrown = error
      }
      expect(isInvalidOptionsError(thrown), JSON.stringify(options)).toBe(true)
    }
  })

  it('should refuse to refresh without a refresh token', async () => {
    const auth = createAuth({
      refresh: oauthRefresh({ tokenEndpoint: TOKEN_ENDPOINT, clientId: 'spa' }),
      now: clock.now,
    })
    const error = await auth.refresh().catch((e: unknown) => e)
    expect(String(error)).toContain('needs a refresh token')
    expect(server.counters.refreshCalls).toBe(0)
  })
})
