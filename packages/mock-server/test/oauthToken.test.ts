import { describe, expect, it } from 'vitest'
import { demo, postForm, postJson, useAuthServer } from './harness'

describe('POST /oauth/token (RFC 6749)', () => {
  const { server } = useAuthServer()

  it('should exchange a refresh token in the standard shape, never cached', async () => {
    const { refreshToken } = (await postJson('/auth/login', demo)).body
    const { status, body, headers } = await postForm('/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    })
    expect(status).toBe(200)
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 60,
      refresh_token: expect.any(String),
    })
    expect(headers.get('cache-control')).toBe('no-store')
    expect(server.counters.refreshCalls).toBe(1)
  })

  it('should answer failures with 400 in the OAuth error shape', async () => {
    const invalid = await postForm('/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: 'garbage',
    })
    expect(invalid.status).toBe(400)
    expect(invalid.body.error).toBe('invalid_grant')
    const unsupported = await postForm('/oauth/token', { grant_type: 'password' })
    expect(unsupported.body.error).toBe('unsupported_grant_type')
    const missing = await postForm('/oauth/token', { grant_type: 'refresh_token' })
    expect(missing).toMatchObject({ status: 400, body: { error: 'invalid_request' } })
    const json = await postJson('/oauth/token', { grant_type: 'refresh_token' })
    expect(json).toMatchObject({ status: 400, body: { error: 'invalid_request' } })
  })
})
