import { describe, expect, it } from 'vitest'
import { decodeJwt, demo, getWith, postJson, useAuthServer } from './harness'

const login = async () => (await postJson('/auth/login', demo)).body

describe('protected routes', () => {
  const { server, clock } = useAuthServer()

  it('should serve /auth/me and /api/orders to a valid token', async () => {
    const { accessToken } = await login()
    expect(await getWith('/auth/me', accessToken)).toMatchObject({
      status: 200,
      body: { email: demo.email },
    })
    expect(await getWith('/api/orders', accessToken)).toMatchObject({
      status: 200,
      body: { owner: 'user_demo' },
    })
    expect(server.counters.requestsByRoute).toMatchObject({
      'GET /auth/me': 1,
      'GET /api/orders': 1,
    })
  })

  it.each([
    ['no token', undefined, /No access token/],
    ['a malformed token', 'not-a-jwt', /malformed/],
  ])('should answer %s with 401 and an RFC 6750 challenge', async (_, token, description) => {
    const { status, body, headers } = await getWith('/api/orders', token)
    expect(status).toBe(401)
    expect(body).toEqual({
      error: 'invalid_token',
      error_description: expect.stringMatching(description),
    })
    expect(headers.get('www-authenticate')).toMatch(
      /^Bearer realm="retoken", error="invalid_token", error_description="/,
    )
  })

  it('should refuse a tampered signature, alg none and a refresh token used as an access token', async () => {
    const { accessToken, refreshToken } = await login()
    const [header, payload] = accessToken.split('.')
    const elevated = Buffer.from(
      JSON.stringify({ ...decodeJwt(accessToken).payload, scope: 'admin' }),
    ).toString('base64url')
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')
    for (const token of [
      `${header}.${elevated}.${accessToken.split('.')[2]}`,
      `${none}.${payload}.`,
      refreshToken,
      await server.signToken({ sub: 'user_demo', jti: 'j', sid: 's', scope: '', iat: 1 }), // no exp
    ]) {
      const { status, body } = await getWith('/api/orders', token)
      expect(status).toBe(401)
      expect(body.error).toBe('invalid_token')
    }
  })

  it('should keep the challenge a well-formed quoted string whatever the reason', async () => {
    const noExp = await server.signToken({
      sub: 'user_demo',
      jti: 'j',
      sid: 's',
      scope: '',
      iat: 1,
    })
    const { body, headers } = await getWith('/api/orders', noExp)
    expect(body.error_description).toBe('The token\'s "exp" claim is invalid')
    expect(headers.get('www-authenticate')).toMatch(/error_description="[^"\\]*"$/)
  })

  it('should tell an expired token apart and count it', async () => {
    const { accessToken } = await login()
    clock.advance(61)
    const { status, body, headers } = await getWith('/api/orders', accessToken)
    expect(status).toBe(401)
    expect(body.error).toBe('token_expired')
    expect(headers.get('www-authenticate')).toMatch(/error="invalid_token"/)
    expect(server.counters.expiredTokenRequests).toBe(1)
  })

  it('should see expiry on its own skewed clock', async () => {
    const { accessToken } = await login()
    server.clock.setOffset(61)
    expect((await getWith('/api/orders', accessToken)).body.error).toBe('token_expired')
    server.clock.setOffset(0)
    expect((await getWith('/api/orders', accessToken)).status).toBe(200)
  })

  it('should answer a missing scope with 403 insufficient_scope', async () => {
    const { accessToken } = await login()
    const { status, body, headers } = await getWith('/api/admin', accessToken)
    expect(status).toBe(403)
    expect(body.error).toBe('insufficient_scope')
    expect(headers.get('www-authenticate')).toMatch(/error="insufficient_scope", scope="admin"/)
  })

  it('should echo an upload back with its body, query and headers', async () => {
    const { accessToken } = await login()
    const { status, body } = await postJson(
      '/api/upload?folder=inbox',
      { name: 'a.txt' },
      { Authorization: `Bearer ${accessToken}`, 'X-Request-Id': '7' },
    )
    expect(status).toBe(200)
    expect(body).toMatchObject({
      method: 'POST',
      body: { name: 'a.txt' },
      query: { folder: 'inbox' },
    })
    expect(body.headers['x-request-id']).toBe('7')
  })
})

describe('POST /auth/logout', () => {
  const { server } = useAuthServer()

  it('should revoke the family and deny the presented access token', async () => {
    const { accessToken, refreshToken } = await login()
    const other = await login()
    const out = await postJson(
      '/auth/logout',
      { refreshToken },
      { Authorization: `Bearer ${accessToken}` },
    )
    expect(out).toMatchObject({ status: 200, body: { revoked: true } })
    expect((await getWith('/api/orders', accessToken)).body).toMatchObject({
      error: 'invalid_token',
      error_description: expect.stringMatching(/revoked/),
    })
    expect((await postJson('/auth/refresh', { refreshToken })).status).toBe(401)
    // other sessions of the same user are untouched
    expect((await getWith('/api/orders', other.accessToken)).status).toBe(200)
    expect(server.auditLog.filter((e) => e.type === 'logout')).toHaveLength(1)
  })

  it('should be idempotent', async () => {
    const { refreshToken } = await login()
    await postJson('/auth/logout', { refreshToken })
    expect(await postJson('/auth/logout', { refreshToken })).toMatchObject({
      status: 200,
      body: { revoked: false },
    })
  })
})
