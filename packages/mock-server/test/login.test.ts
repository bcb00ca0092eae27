import { describe, expect, it } from 'vitest'
import { REFRESH_COOKIE } from '../src/index'
import { decodeJwt, demo, postJson, useAuthServer } from './harness'

describe('POST /auth/login', () => {
  const { server, clock } = useAuthServer()

  it('should issue typed, signed tokens and the user for the demo credentials', async () => {
    const { status, body, headers } = await postJson('/auth/login', demo)
    expect(status).toBe(200)
    expect(headers.get('cache-control')).toBe('no-store')
    expect(body).toMatchObject({ expiresIn: 60, user: { email: demo.email, name: 'Demo User' } })
    expect(body.user.password).toBeUndefined()
    const access = decodeJwt(body.accessToken)
    expect(access.header).toEqual({ alg: 'HS256', typ: 'at+jwt' })
    const now = Math.floor(clock.now() / 1000)
    expect(access.payload).toMatchObject({
      sub: 'user_demo',
      iat: now,
      exp: now + 60,
      name: 'Demo User',
      email: demo.email,
      scope: 'profile orders:read',
    })
    expect(access.payload.jti).toEqual(expect.any(String))
    expect(decodeJwt(body.refreshToken).header.typ).toBe('rt+jwt')
    expect(server.auditLog).toEqual([
      expect.objectContaining({ type: 'login', sub: 'user_demo', at: clock.now() }),
    ])
  })

  it('should refuse wrong credentials with invalid_credentials and audit the attempt', async () => {
    const { status, body } = await postJson('/auth/login', { ...demo, password: 'nope' })
    expect(status).toBe(401)
    expect(body).toEqual({
      error: 'invalid_credentials',
      error_description: 'The email or password is wrong',
    })
    expect(server.auditLog.map((entry) => entry.type)).toEqual(['login_failed'])
  })
})

describe('POST /auth/login with users and an HttpOnly refresh cookie', () => {
  useAuthServer({
    baseUrl: 'http://auth.test',
    refreshTokenCookie: true,
    users: [{ id: 'u2', email: 'ada@example.com', password: 'lovelace', name: 'Ada', scopes: [] }],
  })

  it('should set the refresh token as an HttpOnly cookie and leave it out of the body', async () => {
    const { status, body, headers } = await postJson('/auth/login', {
      email: 'ada@example.com',
      password: 'lovelace',
    })
    expect(status).toBe(200)
    expect(body.refreshToken).toBeUndefined()
    expect(body.user.name).toBe('Ada')
    const cookie = headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(new RegExp(`^${REFRESH_COOKIE}=[\\w-]+\\.[\\w-]+\\.[\\w-]+;`))
    expect(cookie).toMatch(/HttpOnly/)
    const refreshToken = /retoken_rt=([^;]+)/.exec(cookie)?.[1] ?? ''
    const refreshed = await postJson(
      '/auth/refresh',
      {},
      { Cookie: `${REFRESH_COOKIE}=${refreshToken}` },
    )
    expect(refreshed.status).toBe(200)
    expect(refreshed.body.refreshToken).toBeUndefined()
    expect(refreshed.headers.get('set-cookie')).toMatch(/HttpOnly/)
  })

  it('should not know the demo user when users are replaced', async () => {
    expect((await postJson('/auth/login', demo)).status).toBe(401)
  })
})
