import { describe, expect, it } from 'vitest'
import { demo, transports, useTransport } from './transport'

// The same user-visible flows through MSW interception and over a real socket.
describe.each(transports)('auth flows over %s', (transport) => {
  const t = useTransport(transport)
  const login = async () => (await t.postJson('/auth/login', demo)).body

  it('should log in, and refuse wrong credentials with invalid_credentials', async () => {
    const ok = await t.postJson('/auth/login', demo)
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({ expiresIn: 60, user: { email: demo.email } })
    const wrong = await t.postJson('/auth/login', { ...demo, password: 'nope' })
    expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid_credentials' } })
    expect(t.server.auditLog.map((entry) => entry.type)).toEqual(['login', 'login_failed'])
  })

  it('should serve every protected route to a valid token, and 403 a missing scope', async () => {
    const { accessToken } = await login()
    expect((await t.get('/auth/me', accessToken)).body).toMatchObject({ email: demo.email })
    expect((await t.get('/api/orders', accessToken)).body.orders).toHaveLength(2)
    const echo = await t.get('/api/echo?page=2', accessToken)
    expect(echo.body).toMatchObject({ method: 'GET', query: { page: '2' } })
    const upload = await t.postJson(
      '/api/upload',
      { file: 'a.txt' },
      { Authorization: `Bearer ${accessToken}`, 'X-Trace': 'abc' },
    )
    expect(upload.body).toMatchObject({ method: 'POST', body: { file: 'a.txt' } })
    expect(upload.body.headers['x-trace']).toBe('abc')
    const admin = await t.get('/api/admin', accessToken)
    expect(admin.status).toBe(403)
    expect(admin.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/)
    expect(t.server.counters.requestsByRoute).toMatchObject({
      'POST /auth/login': 1,
      'GET /auth/me': 1,
      'GET /api/orders': 1,
      'GET /api/echo': 1,
      'POST /api/upload': 1,
      'GET /api/admin': 1,
    })
  })

  it('should answer a missing token with 401 and an RFC 6750 challenge', async () => {
    const { status, body, headers } = await t.get('/api/orders')
    expect(status).toBe(401)
    expect(body.error).toBe('invalid_token')
    expect(headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/)
  })

  it('should rotate on refresh and spend the old refresh token', async () => {
    const session = await login()
    const next = await t.postJson('/auth/refresh', { refreshToken: session.refreshToken })
    expect(next.status).toBe(200)
    expect(next.body.refreshToken).not.toBe(session.refreshToken)
    expect((await t.get('/api/orders', next.body.accessToken)).status).toBe(200)
    expect(t.server.counters.refreshCalls).toBe(1)
  })

  it('should revoke the whole family when a spent refresh token comes back', async () => {
    const session = await login()
    const next = (await t.postJson('/auth/refresh', { refreshToken: session.refreshToken })).body
    const reuse = await t.postJson('/auth/refresh', { refreshToken: session.refreshToken })
    expect(reuse).toMatchObject({ status: 401, body: { error: 'invalid_grant' } })
    expect(t.server.counters.reuseDetections).toBe(1)
    expect((await t.postJson('/auth/refresh', { refreshToken: next.refreshToken })).status).toBe(
      401,
    )
    expect((await t.get('/api/orders', next.accessToken)).status).toBe(401)
  })

  it('should refresh in RFC 6749 form on /oauth/token, and refuse with 400 invalid_grant', async () => {
    const { refreshToken } = await login()
    const ok = await t.postForm('/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    })
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 60 })
    expect(ok.headers.get('cache-control')).toBe('no-store')
    const spent = await t.postForm('/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    })
    expect(spent).toMatchObject({ status: 400, body: { error: 'invalid_grant' } })
  })

  it('should revoke the session and deny the access token on logout', async () => {
    const { accessToken, refreshToken } = await login()
    const out = await t.postJson('/auth/logout', {}, { Authorization: `Bearer ${accessToken}` })
    expect(out).toMatchObject({ status: 200, body: { revoked: true } })
    expect((await t.get('/auth/me', accessToken)).body.error_description).toMatch(/revoked/)
    expect((await t.postJson('/auth/refresh', { refreshToken })).status).toBe(401)
    expect(t.server.auditLog.map((entry) => entry.type)).toEqual(['login', 'revoked', 'logout'])
  })

  it('should expire access tokens on the injected clock and count the late request', async () => {
    const { accessToken, refreshToken } = await login()
    t.clock.advance(61)
    const late = await t.get('/api/orders', accessToken)
    expect(late).toMatchObject({ status: 401, body: { error: 'token_expired' } })
    expect(t.server.counters.expiredTokenRequests).toBe(1)
    // the session outlives its access token
    expect((await t.postJson('/auth/refresh', { refreshToken })).status).toBe(200)
    t.clock.advance(3600)
    expect((await t.postJson('/auth/refresh', { refreshToken })).body.error).toBe('invalid_grant')
  })

  it('should honour a server clock running ahead of the client', async () => {
    const { accessToken } = await login()
    t.server.clock.setOffset(61)
    expect((await t.get('/api/orders', accessToken)).body.error).toBe('token_expired')
  })

  it('should answer 429 with Retry-After past the per-session rate limit', async () => {
    let { refreshToken } = await login()
    for (let i = 0; i < 60; i++) {
      refreshToken = (await t.postJson('/auth/refresh', { refreshToken })).body.refreshToken
    }
    const limited = await t.postJson('/auth/refresh', { refreshToken })
    expect(limited).toMatchObject({ status: 429, body: { error: 'rate_limited' } })
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    // another session is not limited
    const other = await login()
    expect((await t.postJson('/auth/refresh', { refreshToken: other.refreshToken })).status).toBe(
      200,
    )
  })
})

describe.each(transports)('the refresh token cookie over %s', (transport) => {
  const t = useTransport(transport, { refreshTokenCookie: true })

  it('should carry the refresh token only in an HttpOnly cookie, and clear it on logout', async () => {
    const login = await t.postJson('/auth/login', demo)
    expect(login.body.refreshToken).toBeUndefined()
    const [cookie] = login.headers.getSetCookie()
    expect(cookie).toMatch(/^retoken_rt=[^;]+; HttpOnly/)
    const pair = cookie?.split(';')[0] ?? ''
    const refreshed = await t.postJson('/auth/refresh', {}, { Cookie: pair })
    expect(refreshed.status).toBe(200)
    expect(refreshed.body.refreshToken).toBeUndefined()
    const rotated = refreshed.headers.getSetCookie()[0]?.split(';')[0] ?? ''
    const out = await t.postJson('/auth/logout', {}, { Cookie: rotated })
    expect(out.body.revoked).toBe(true)
    expect(out.headers.getSetCookie()[0]).toMatch(/Max-Age=0/)
    expect((await t.postJson('/auth/refresh', {}, { Cookie: rotated })).status).toBe(401)
  })
})
