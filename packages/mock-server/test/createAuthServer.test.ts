import { setupServer } from 'msw/node'
import { describe, expect, it } from 'vitest'
import { createAuthServer, demoUser } from '../src/index'
import { createTestClock } from '../src/vitest'
import { decodeJwt } from './harness'

describe('createAuthServer', () => {
  it.each([
    [{ accessTokenTtl: 0 }, /accessTokenTtl/],
    [{ refreshTokenTtl: -1 }, /refreshTokenTtl/],
    [{ baseUrl: '/api' }, /baseUrl/],
    [{ secret: 'short' }, /secret/],
    [{ rateLimit: { limit: 0, windowSeconds: 60 } }, /rateLimit/],
    [{ reuseGraceSeconds: -1 }, /reuseGraceSeconds/],
  ])('should refuse the invalid option %o', (options, message) => {
    expect(() => createAuthServer(options)).toThrow(message)
  })

  it('should keep state per instance, so parallel tests never interfere', async () => {
    const one = createAuthServer({ baseUrl: 'http://one.test' })
    const two = createAuthServer({ baseUrl: 'http://two.test' })
    const network = setupServer(...one.handlers, ...two.handlers)
    network.listen({ onUnhandledRequest: 'error' })
    try {
      one.faults.failNextRefresh(1, 'server-error')
      const { refreshToken } = await two.issueTokens()
      const response = await fetch('http://two.test/auth/refresh', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      })
      expect(response.status).toBe(200)
      expect(one.counters.refreshCalls).toBe(0)
      expect(one.auditLog).toEqual([])
      expect(two.auditLog.map((entry) => entry.type)).toEqual(['login', 'refresh'])
    } finally {
      network.close()
    }
  })

  it('should mint sessions without HTTP, for the demo user by default', async () => {
    const clock = createTestClock()
    const server = createAuthServer({ now: clock.now, accessTokenTtl: 45 })
    const session = await server.issueTokens()
    expect(session).toMatchObject({ expiresIn: 45, user: { email: demoUser.email } })
    const { payload } = decodeJwt(session.accessToken)
    expect(payload.exp - payload.iat).toBe(45)
    await expect(server.issueTokens('nobody@example.com')).rejects.toThrow(/No user/)
  })

  it('should sign arbitrary claims with the requested type', async () => {
    const server = createAuthServer()
    const token = await server.signToken({ sub: 'x', odd: true }, { typ: 'rt+jwt' })
    expect(decodeJwt(token)).toEqual({
      header: { alg: 'HS256', typ: 'rt+jwt' },
      payload: { sub: 'x', odd: true },
    })
  })

  it('should apply the clock offset option on top of now()', async () => {
    const clock = createTestClock()
    const server = createAuthServer({ now: clock.now, clockOffset: -120 })
    expect(server.clock.now()).toBe(clock.now() - 120_000)
    const { accessToken } = await server.issueTokens()
    expect(decodeJwt(accessToken).payload.iat).toBe(Math.floor(clock.now() / 1000) - 120)
    server.clock.setOffset(30)
    expect(server.clock.now()).toBe(clock.now() + 30_000)
  })

  it('should forget sessions, counters, audit log, faults and the offset on reset', async () => {
    const clock = createTestClock()
    const server = createAuthServer({ now: clock.now, baseUrl: 'http://reset.test' })
    const counters = server.counters
    const before = await server.issueTokens()
    server.faults.failNextRefresh(3, 'network-error')
    server.clock.setOffset(99)
    server.reset()
    expect(server.auditLog).toEqual([])
    expect(server.counters).toBe(counters)
    expect(counters).toEqual({
      refreshCalls: 0,
      requestsByRoute: {},
      expiredTokenRequests: 0,
      reuseDetections: 0,
      dpopProofRejections: 0,
      dpopNonceChallenges: 0,
      dpopResourceRefusals: 0,
    })
    expect(server.clock.now()).toBe(clock.now())

    const network = setupServer(...server.handlers)
    network.listen({ onUnhandledRequest: 'error' })
    try {
      const refresh = (refreshToken: string) =>
        fetch('http://reset.test/auth/refresh', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ refreshToken }),
        })
      // the session is forgotten, and no injected network error is left pending
      expect((await refresh(before.refreshToken)).status).toBe(401)
      expect((await refresh((await server.issueTokens()).refreshToken)).status).toBe(200)
    } finally {
      network.close()
    }
  })
})
