import { describe, expect, it } from 'vitest'
import { BASE, demo, postJson, useAuthServer } from './harness'

describe('bad input', () => {
  const { server } = useAuthServer({ maxBodyBytes: 1024 })

  const expectUnchanged = () => {
    expect(server.auditLog).toEqual([])
    expect(server.counters.refreshCalls).toBe(0)
  }

  it.each([
    ['a non-JSON body', '{"email":', /not valid JSON/],
    ['a JSON array', '[1,2]', /JSON object/],
    ['a missing password', { email: demo.email }, /"password" field is required/],
    ['a numeric email', { email: 42, password: 'x' }, /"email" field must be a string/],
    ['an empty email', { email: '', password: 'x' }, /"email" field must be 1 to/],
    [
      'an oversized body',
      { email: demo.email, password: 'x'.repeat(2000) },
      /larger than 1024 bytes/,
    ],
  ])(
    'should answer %s on /auth/login with a clear 400 and change nothing',
    async (_, body, message) => {
      const { status, body: answer } = await postJson('/auth/login', body)
      expect(status).toBe(400)
      expect(answer).toEqual({
        error: 'invalid_request',
        error_description: expect.stringMatching(message),
      })
      expectUnchanged()
    },
  )

  it('should refuse a body that is not declared as JSON', async () => {
    const response = await fetch(`${BASE}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify(demo),
    })
    expect(response.status).toBe(400)
    expectUnchanged()
  })

  it.each([
    ['a missing refreshToken', {}],
    ['a numeric refreshToken', { refreshToken: 7 }],
    ['a non-JSON body', 'refreshToken=abc'],
  ])('should answer %s on /auth/refresh with 400 and change nothing', async (_, body) => {
    const { status, body: answer } = await postJson('/auth/refresh', body)
    expect(status).toBe(400)
    expect(answer.error).toBe('invalid_request')
    expectUnchanged()
  })
})
