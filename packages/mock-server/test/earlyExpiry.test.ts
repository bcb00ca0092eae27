import { describe, expect, it } from 'vitest'
import { decodeJwt, demo, getWith, postJson, useAuthServer } from './harness'

describe('faults.expireAccessTokens', () => {
  const { server, clock } = useAuthServer()

  it('should answer every token issued so far as expired, without moving the clock', async () => {
    const first = (await postJson('/auth/login', demo)).body
    const second = (await postJson('/auth/login', demo)).body
    const before = server.clock.now()
    expect(server.faults.expireAccessTokens()).toBe(2)
    expect(server.clock.now()).toBe(before)
    for (const { accessToken } of [first, second]) {
      const answer = await getWith('/api/orders', accessToken)
      expect(answer.status).toBe(401)
      expect(answer.body.error).toBe('token_expired')
    }
    expect(server.counters.expiredTokenRequests).toBe(2)
  })

  it('should leave tokens issued afterwards valid, with iat on the unmoved clock', async () => {
    const { refreshToken } = (await postJson('/auth/login', demo)).body
    server.faults.expireAccessTokens()
    server.faults.expireAccessTokens()
    const renewed = (await postJson('/auth/refresh', { refreshToken })).body
    expect(decodeJwt(renewed.accessToken).payload.iat).toBe(Math.floor(clock.now() / 1000))
    expect((await getWith('/api/orders', renewed.accessToken)).status).toBe(200)
  })

  it('should be forgotten by reset', async () => {
    const { accessToken } = (await postJson('/auth/login', demo)).body
    server.faults.expireAccessTokens()
    server.reset()
    expect(server.faults.expireAccessTokens()).toBe(0)
    // the session itself is gone with the reset: the token is now refused as revoked
    expect((await getWith('/api/orders', accessToken)).body.error).toBe('invalid_token')
  })
})
