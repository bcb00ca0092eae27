import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createAuth, createFetch, type FetchOptions } from '../../src/index'
import { unsignedJwt } from '../jwt'

// Real HTTP, no msw: Node's own fetch (undici) follows redirects with the default header,
// retoken follows them by hand with a custom one. "127.0.0.1" and "localhost" are
// different origins.

interface Seen {
  method: string
  url: string
  headers: Record<string, string | string[] | undefined>
  body: string
}

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString()))
    req.on('error', reject)
  })

const json = (res: ServerResponse, status: number, value: unknown) =>
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value))

describe('createFetch: redirects over real HTTP', () => {
  let apiUrl = ''
  let foreignUrl = ''
  const apiSaw: Seen[] = []
  const foreignSaw: Seen[] = []

  const record = async (req: IncomingMessage, into: Seen[]) => {
    const seen = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: await readBody(req),
    }
    into.push(seen)
    return seen
  }

  const api = createServer(async (req, res) => {
    const seen = await record(req, apiSaw)
    const to = (status: number, location: string) =>
      res.writeHead(status, { Location: location }).end()
    switch (req.url) {
      case '/to-foreign':
        return to(302, `${foreignUrl}/landing`)
      case '/to-same':
        return to(302, '/echo')
      case '/307':
        return to(307, '/echo')
      case '/307-foreign':
        return to(307, `${foreignUrl}/landing`)
      case '/303':
        return to(303, '/echo')
      case '/to-foreign-401':
        return to(302, `${foreignUrl}/private`)
      default:
        return json(res, 200, seen)
    }
  })
  const foreign = createServer(async (req, res) => {
    const seen = await record(req, foreignSaw)
    if (req.url === '/private') return json(res, 401, { error: 'who are you' })
    return json(res, 200, seen)
  })

  beforeAll(async () => {
    apiUrl = `http://127.0.0.1:${await listen(api)}`
    foreignUrl = `http://localhost:${await listen(foreign)}`
  })
  afterAll(() => {
    api.close()
    foreign.close()
  })
  beforeEach(() => {
    apiSaw.length = 0
    foreignSaw.length = 0
  })

  const token = unsignedJwt({ exp: 4e9, iat: Math.floor(Date.now() / 1000) })
  const setup = async (options: Partial<FetchOptions> = {}) => {
    const refresh = vi.fn(async () => ({
      accessToken: unsignedJwt({ exp: 4e9, iat: Math.floor(Date.now() / 1000), n: 2 }),
    }))
    const auth = createAuth({ refresh })
    const authFetch = createFetch(auth, { allowedOrigins: [apiUrl], ...options })
    await auth.setTokens({ accessToken: token })
    return { auth, authFetch, refresh }
  }

  describe.each([
    ['the default Authorization header', {}, 'authorization', `Bearer ${token}`],
    ['a custom header', { headerName: 'X-Auth', scheme: '' }, 'x-auth', token],
  ] as const)('with %s', (_, options, header, value) => {
    it('should not carry the token to the foreign host a 302 leads to', async () => {
      const { authFetch } = await setup(options)
      const response = await authFetch(`${apiUrl}/to-foreign`, { headers: { 'X-Other': 'kept' } })
      expect(response.status).toBe(200)
      expect(foreignSaw).toHaveLength(1)
      expect(foreignSaw[0]?.headers[header]).toBeUndefined()
      expect(foreignSaw[0]?.headers['x-other']).toBe('kept')
      expect(apiSaw[0]?.headers[header]).toBe(value)
    })

    it('should report the followed redirect as fetch does: redirected, with the final URL', async () => {
      const { authFetch } = await setup(options)
      const response = await authFetch(`${apiUrl}/to-foreign`)
      expect(response.url).toBe(`${foreignUrl}/landing`)
      expect(response.redirected).toBe(true)
    })

    it('should keep the token and the other headers on a same-origin redirect', async () => {
      const { authFetch } = await setup(options)
      await authFetch(`${apiUrl}/to-same`, { headers: { 'X-Other': 'kept' } })
      expect(apiSaw.map(({ url }) => url)).toEqual(['/to-same', '/echo'])
      expect(apiSaw[1]?.headers[header]).toBe(value)
      expect(apiSaw[1]?.headers['x-other']).toBe('kept')
    })

    it('should keep the method, the body and its content type on a 307', async () => {
      const { authFetch } = await setup(options)
      const response = await authFetch(`${apiUrl}/307`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ keep: 'me' }),
      })
      expect(response.status).toBe(200)
      const last = apiSaw[1]
      expect(last?.method).toBe('POST')
      expect(last?.body).toBe('{"keep":"me"}')
      expect(last?.headers['content-type']).toBe('application/json')
      expect(last?.headers[header]).toBe(value)
    })

    it('should keep the body but not the token on a 307 to a foreign host', async () => {
      const { authFetch } = await setup(options)
      await authFetch(`${apiUrl}/307-foreign`, { method: 'PUT', body: 'payload' })
      expect(foreignSaw[0]).toMatchObject({ method: 'PUT', body: 'payload' })
      expect(foreignSaw[0]?.headers[header]).toBeUndefined()
    })

    // what fetch itself drops on a hop to another origin (Fetch "HTTP-redirect fetch" step 13;
    // undici deletes authorization, proxy-authorization, cookie and host)
    it('should not forward the caller’s credentials headers to a foreign host either', async () => {
      const { authFetch } = await setup(options)
      await authFetch(`${apiUrl}/to-foreign`, {
        headers: {
          ...(header === 'authorization' ? {} : { Authorization: 'Basic dXNlcjpwYXNz' }),
          Cookie: 'sid=secret-session',
          'Proxy-Authorization': 'Basic cHJveHk6cGFzcw==',
        },
      })
      expect(foreignSaw).toHaveLength(1)
      const saw = foreignSaw[0]?.headers ?? {}
      expect({
        authorization: saw.authorization,
        cookie: saw.cookie,
        'proxy-authorization': saw['proxy-authorization'],
      }).toEqual({ authorization: undefined, cookie: undefined, 'proxy-authorization': undefined })
    })

    it('should turn a 303 after a POST into a GET without the request-body headers', async () => {
      const { authFetch } = await setup(options)
      await authFetch(`${apiUrl}/303`, {
        method: 'POST',
        headers: {
          'Content-Type': 'text/plain',
          'Content-Language': 'fr',
          'Content-Location': '/drafts/1',
        },
        body: 'dropped',
      })
      const last = apiSaw[1]
      expect(last?.method).toBe('GET')
      expect(last?.body).toBe('')
      expect({
        type: last?.headers['content-type'],
        language: last?.headers['content-language'],
        location: last?.headers['content-location'],
      }).toEqual({ type: undefined, language: undefined, location: undefined })
      expect(last?.headers[header]).toBe(value)
    })

    it('should start no refresh for a 401 from the foreign host a redirect led to', async () => {
      const { authFetch, auth, refresh } = await setup(options)
      const response = await authFetch(`${apiUrl}/to-foreign-401`)
      expect(response.status).toBe(401)
      expect(await response.json()).toEqual({ error: 'who are you' })
      expect(refresh).not.toHaveBeenCalled()
      expect(foreignSaw).toHaveLength(1)
      expect(auth.getState().accessToken).toBe(token)
    })
  })
})
