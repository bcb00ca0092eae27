import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAuthServer } from '../src/index'
import { createNodeMiddleware } from '../src/node'

// The middleware mounted in a plain node:http server, as a Vite plugin mounts it.
describe('createNodeMiddleware', () => {
  const authServer = createAuthServer({ baseUrl: 'http://app.test', accessTokenTtl: 60 })
  const middleware = createNodeMiddleware(authServer, { paths: ['/auth/', '/api/'] })
  let server: Server
  let url: string
  beforeAll(async () => {
    server = createServer((req, res) =>
      middleware(req, res, () => res.writeHead(200).end('served by the app')),
    )
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise((resolve) => server.close(resolve)))

  it('should serve the mounted paths and pass every other path on to next', async () => {
    const login = await fetch(`${url}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'demo@retoken.dev', password: 'password123' }),
    })
    expect(login.status).toBe(200)
    const { accessToken } = await login.json()
    const orders = await fetch(`${url}/api/orders?page=1`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    })
    expect(orders.status).toBe(200)
    const page = await fetch(`${url}/index.html`)
    expect(await page.text()).toBe('served by the app')
    expect(authServer.counters.requestsByRoute['GET /api/orders']).toBe(1)
  })
})
