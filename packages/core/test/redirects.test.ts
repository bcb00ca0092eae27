import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import axios from 'axios'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createAuth } from '../src/index'
import { unsignedJwt } from './jwt'

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

// Real HTTP, no msw: Node's adapter follows the redirect itself (follow-redirects).
describe('the origin rule after a redirect (Node)', () => {
  let foreignSaw: IncomingHttpHeaders | null = null
  let allowedUrl = ''
  let foreignUrl = ''
  const foreign = createServer((req, res) => {
    foreignSaw = req.headers
    res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":"who are you"}')
  })
  const allowed = createServer((_req, res) => {
    res.writeHead(302, { Location: `${foreignUrl}/landing` }).end()
  })
  beforeAll(async () => {
    // "localhost" and "127.0.0.1" are different origins and different hosts
    foreignUrl = `http://localhost:${await listen(foreign)}`
    allowedUrl = `http://127.0.0.1:${await listen(allowed)}`
  })
  afterAll(() => {
    foreign.close()
    allowed.close()
  })

  it('should send no token to the foreign host and start no refresh for its 401', async () => {
    const refresh = vi.fn(async () => ({ accessToken: unsignedJwt({ exp: 4e9 }) }))
    const auth = createAuth({ refresh })
    const api = axios.create({ baseURL: allowedUrl })
    auth.attach(api, { headerName: 'X-Api-Token', scheme: '' })
    const token = unsignedJwt({ exp: 4e9, iat: Math.floor(Date.now() / 1000) })
    await auth.setTokens({ accessToken: token })

    const error = await api.get('/start').catch((e: unknown) => e)

    expect(error).toMatchObject({ response: { status: 401 } })
    expect(foreignSaw).not.toBeNull()
    expect(foreignSaw?.['x-api-token']).toBeUndefined()
    expect(refresh).not.toHaveBeenCalled()
    expect(auth.getState().accessToken).toBe(token)
  })
})
