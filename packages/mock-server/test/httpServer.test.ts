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
