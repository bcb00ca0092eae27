import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningHttpServer, startHttpServer } from '../src/node'

// Real HTTP on a free localhost port: no MSW interception in this file.
describe('startHttpServer', () => {
  let running: RunningHttpServer
  beforeAll(async () => {
    running = await startHttpServer({ port: 0, accessTokenTtl: 60 })
  })
  afterAll(() => running.close())

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${running.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    })

  it('should log in, call a protected route and refresh over real HTTP', async () => {
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const login = await post('/auth/login', { email: 'demo@retoken.dev', password: 'password123' })
    expect(login.status).toBe(200)
    const { accessToken, refreshToken } = await login.json()
    const orders = await fetch(`${running.url}/api/orders`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    })
    expect(orders.status).toBe(200)
    const refreshed = await post('/auth/refresh', { refreshToken })
    expect(refreshed.status).toBe(200)
    expect(running.server.counters.refreshCalls).toBe(1)
  })

  it('should answer CORS preflights and reflect the origin', async () => {
    const preflight = await fetch(`${running.url}/auth/refresh`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Headers': 'authorization,content-type',
      },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true')
  })

  it('should reflect the origin on ordinary answers and expose the auth headers', async () => {
    const answer = await fetch(`${running.url}/api/orders`, {
      headers: { Origin: 'http://localhost:5173' },
    })
    expect(answer.status).toBe(401)
    expect(answer.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
    expect(answer.headers.get('access-control-expose-headers')).toMatch(/WWW-Authenticate/)
    // no Origin, no CORS headers: curl and servers do not need them
    const plain = await fetch(`${running.url}/api/orders`)
    expect(plain.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('should refuse a body larger than the socket limit before it reaches the handlers', async () => {
    const huge = await post('/api/upload', { blob: 'x'.repeat(1024 * 1024 + 1) })
    expect(huge.status).toBe(400)
    expect(await huge.json()).toMatchObject({ error: 'invalid_request' })
    expect(running.server.counters.requestsByRoute['POST /api/upload']).toBeUndefined()
  })

  it('should answer unknown routes with a JSON 404 and bad bodies with a 400', async () => {
    const missing = await fetch(`${running.url}/nope`)
    expect(missing.status).toBe(404)
    expect((await missing.json()).error).toBe('not_found')
    const bad = await fetch(`${running.url}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{',
    })
    expect(bad.status).toBe(400)
  })

  it('should drop the connection for an injected network error', async () => {
    running.server.faults.failNextRefresh(1, 'network-error')
    await expect(post('/auth/refresh', { refreshToken: 'x' })).rejects.toThrow(TypeError)
  })
})
