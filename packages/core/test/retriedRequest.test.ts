import { describe, expect, it } from 'vitest'
import { loggedInClient, useMockAuthServer } from './harness'

describe('a retried request', () => {
  const { server, clock } = useMockAuthServer()

  it('should keep its method, body, params and headers; only the token changes', async () => {
    const { api, auth } = await loggedInClient(server, clock, { refreshMargin: 0 })
    const oldToken = auth.getState().accessToken
    server.clock.setOffset(61)
    const retried: string[] = []
    auth.on('requestRetried', ({ request }) => retried.push(request.url))

    const response = await api.post(
      '/api/upload',
      { name: 'report.pdf', size: 1024 },
      { params: { folder: 'inbox' }, headers: { 'X-Request-Id': 'abc-123' } },
    )

    expect(retried).toEqual(['/api/upload'])
    expect(response.data.body).toEqual({ name: 'report.pdf', size: 1024 })
    expect(response.data.query).toEqual({ folder: 'inbox' })
    expect(response.data.headers['x-request-id']).toBe('abc-123')
    expect(response.data.headers['content-type']).toMatch(/application\/json/)
    const newToken = auth.getState().accessToken
    expect(newToken).not.toBe(oldToken)
    expect(response.data.headers.authorization).toBe(`Bearer ${newToken}`)
  })
})
