import { describe, expect, it } from 'vitest'
import { decodeJwt, demo, postJson, useAuthServer } from './harness'

const login = async () => (await postJson('/auth/login', demo)).body
const refresh = (refreshToken: unknown) => postJson('/auth/refresh', { refreshToken })

describe('POST /auth/refresh', () => {
  const { server, clock } = useAuthServer()

  it('should rotate: a new access and refresh token, the old refresh token spent', async () => {
    const session = await login()
    clock.advance(30)
    const first = await refresh(session.refreshToken)
    expect(first.status).toBe(200)
    expect(first.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 60,
    })
    expect(first.body.refreshToken).not.toBe(session.refreshToken)
    expect(decodeJwt(first.body.accessToken).payload.iat).toBe(Math.floor(clock.now() / 1000))
    expect((await refresh(first.body.refreshToken)).status).toBe(200)
    expect(server.counters.refreshCalls).toBe(2)
  })

  it('should revoke the whole family when a spent refresh token comes back', async () => {
    const session = await login()
    const rotated = (await refresh(session.refreshToken)).body

    const reuse = await refresh(session.refreshToken)

    expect(reuse.status).toBe(401)
    expect(reuse.body).toEqual({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/reuse/),
    })
    expect(server.counters.reuseDetections).toBe(1)
    expect(server.auditLog.map((entry) => entry.type)).toEqual([
      'login',
      'refresh',
      'reuse_detected',
      'revoked',
    ])
    // the legitimate holder is logged out too: the family is gone
    expect((await refresh(rotated.refreshToken)).status).toBe(401)
    const me = await fetch('http://auth.test/auth/me', {
      headers: { Authorization: `Bearer ${rotated.accessToken}` },
    })
    expect(me.status).toBe(401)
  })

  it('should refuse unknown, garbage and wrongly typed tokens with invalid_grant', async () => {
    const session = await login()
    const forged = await server.signToken(
      { sub: 'user_demo', fid: 'nope', jti: 'x', iat: 1, exp: 9_999_999_999 },
      { typ: 'rt+jwt' },
    )
    for (const token of [
      'garbage',
      forged,
      session.accessToken,
      `${session.refreshToken.slice(0, -2)}xx`,
    ]) {
      const { status, body } = await refresh(token)
      expect(status).toBe(401)
      expect(body.error).toBe('invalid_grant')
    }
  })

  it('should end the family at its absolute lifetime, however often it rotates', async () => {
    let token = (await login()).refreshToken
    const expiry = decodeJwt(token).payload.exp
    for (let i = 0; i < 5; i++) {
      clock.advance(600)
      const next = await refresh(token)
      expect(next.status).toBe(200)
      expect(decodeJwt(next.body.refreshToken).payload.exp).toBe(expiry)
      token = next.body.refreshToken
    }
    clock.advance(601)
    const late = await refresh(token)
    expect(late.status).toBe(401)
    expect(late.body.error_description).toMatch(/expired/)
  })

  it('should answer 429 with Retry-After past the rate limit', async () => {
    const { refreshToken } = await login()
    let token = refreshToken
    for (let i = 0; i < 60; i++) token = (await refresh(token)).body.refreshToken
    const limited = await refresh(token)
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    clock.advance(61)
    expect((await refresh(token)).status).toBe(200)
  })
})

describe('POST /auth/refresh without rotation', () => {
  const { server } = useAuthServer({ rotation: false })

  it('should keep the refresh token valid and omit it from the answer', async () => {
    const session = await login()
    const first = await refresh(session.refreshToken)
    const second = await refresh(session.refreshToken)
    expect([first.status, second.status]).toEqual([200, 200])
    expect(first.body.refreshToken).toBeUndefined()
    expect(server.counters.reuseDetections).toBe(0)
  })
})

describe('POST /auth/refresh with a reuse grace interval', () => {
  const { server, clock } = useAuthServer({ reuseGraceSeconds: 10 })

  it('should accept a just-spent token within the grace interval and detect reuse after it', async () => {
    const session = await login()
    await refresh(session.refreshToken)
    clock.advance(5)
    expect((await refresh(session.refreshToken)).status).toBe(200)
    clock.advance(10)
    expect((await refresh(session.refreshToken)).status).toBe(401)
    expect(server.counters.reuseDetections).toBe(1)
  })

  it('should forgive only the token spent last, not an older one, inside the interval', async () => {
    const session = await login()
    const second = (await refresh(session.refreshToken)).body
    await refresh(second.refreshToken)
    clock.advance(1)
    // two generations old: reuse, even though it was spent a second ago
    const stale = await refresh(session.refreshToken)
    expect(stale.status).toBe(401)
    expect(stale.body.error_description).toMatch(/reuse/)
    expect(server.counters.reuseDetections).toBe(1)
  })
})

describe('POST /auth/refresh without reuse detection', () => {
  const { server } = useAuthServer({ reuseDetection: false })

  it('should refuse a spent token without revoking the family', async () => {
    const session = await login()
    const rotated = (await refresh(session.refreshToken)).body
    expect((await refresh(session.refreshToken)).status).toBe(401)
    expect((await refresh(rotated.refreshToken)).status).toBe(200)
    expect(server.counters.reuseDetections).toBe(0)
  })
})
