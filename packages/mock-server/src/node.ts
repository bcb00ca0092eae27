import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getResponse } from 'msw'
import { createAuthServer } from './createAuthServer'
import type { AuthServer, AuthServerOptions } from './types'

/** Options of {@link startHttpServer}: where to listen, plus any {@link AuthServerOptions} but `baseUrl`. */
export interface HttpServerOptions extends Partial<Omit<AuthServerOptions, 'baseUrl'>> {
  /** @default 4010; 0 picks a free port */
  port?: number
  /** @default '127.0.0.1' */
  host?: string
}

/** A running HTTP mock server. */
export interface RunningHttpServer {
  /** Base URL of the bound address, e.g. `http://127.0.0.1:4010`. */
  url: string
  /** The auth server behind it, for its counters, audit log and controls. */
  server: AuthServer
  close(): Promise<void>
}

const MAX_UPLOAD_BYTES = 1024 * 1024

/**
 * Serves the same MSW handlers over real HTTP on localhost, with CORS for browser
 * apps on other ports, so curl or any client can use the mock server.
 * @example
 * const running = await startHttpServer({ port: 0, accessTokenTtl: 5 })
 * await fetch(`${running.url}/auth/login`, { method: 'POST', ... })
 * expect(running.server.counters.refreshCalls).toBe(0)
 * await running.close()
 */
export async function startHttpServer(options: HttpServerOptions = {}): Promise<RunningHttpServer> {
  const { port = 4010, host = '127.0.0.1', ...serverOptions } = options
  let middleware: NodeMiddleware | undefined
  const server = createServer((req, res) => {
    if (!middleware) return void res.writeHead(503).end()
    middleware(req, res)
  })
  await listen(server, port, host)
  const { port: actualPort } = server.address() as AddressInfo
  const url = `http://${host}:${actualPort}`
  const authServer = createAuthServer({ ...serverOptions, baseUrl: url })
  middleware = createNodeMiddleware(authServer)
  return {
    url,
    server: authServer,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}

/** A Connect-style middleware (Vite, Express, `node:http`): `next` is called for requests it does not serve. */
export type NodeMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => void

/** Options of {@link createNodeMiddleware}. */
export interface NodeMiddlewareOptions {
  /**
   * Only paths starting with one of these go to the handlers; the rest go to `next`
   * (or get a JSON 404 without `next`). @default every path
   */
  paths?: readonly string[]
  /** Answer cross-origin requests and preflights with CORS headers. @default true */
  cors?: boolean
}

/**
 * Serves an {@link AuthServer}'s MSW handlers to Node's `IncomingMessage`/`ServerResponse`,
 * as {@link startHttpServer} does, so the mock server can be mounted in an existing
 * server (a Vite plugin's `configureServer`, Express, Connect) on that server's origin.
 * The URL the handlers see is the request path on `authServer.options.baseUrl`.
 * @example
 * const authServer = createAuthServer({ baseUrl: 'http://localhost:5173' })
 * viteServer.middlewares.use(createNodeMiddleware(authServer, { paths: ['/auth/', '/api/'] }))
 */
export function createNodeMiddleware(
  authServer: AuthServer,
  options: NodeMiddlewareOptions = {},
): NodeMiddleware {
  const { paths, cors = true } = options
  return (req, res, next) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    if (next && paths && !paths.some((prefix) => path.startsWith(prefix))) return next()
    handle(authServer, req, res, cors).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' })
      res.end(
        JSON.stringify({ error: 'server_error', error_description: 'The mock server failed' }),
      )
    })
  }
}

async function handle(
  authServer: AuthServer,
  req: IncomingMessage,
  res: ServerResponse,
  withCors: boolean,
) {
  const cors = withCors ? corsHeaders(req) : {}
  if (withCors && req.method === 'OPTIONS') {
    res.writeHead(204, cors).end()
    return
  }
  const body = await readBody(req)
  if (body === null) {
    res.writeHead(400, { ...cors, 'Content-Type': 'application/json' })
    res.end(
      JSON.stringify({ error: 'invalid_request', error_description: 'The body is too large' }),
    )
    return
  }
  const request = new Request(new URL(req.url ?? '/', authServer.options.baseUrl), {
    method: req.method ?? 'GET',
    headers: toHeaders(req),
    ...(body.length > 0 ? { body: new Uint8Array(body) } : {}),
  })
  const response = await getResponse(authServer.handlers, request)
  if (!response) {
    res.writeHead(404, { ...cors, 'Content-Type': 'application/json' })
    res.end(
      JSON.stringify({
        error: 'not_found',
        error_description: `No route for ${req.method} ${req.url}`,
      }),
    )
    return
  }
  if (response.type === 'error') {
    // an injected network error: drop the connection, as a failing network would
    req.socket.destroy()
    return
  }
  const headers: Record<string, string | string[]> = { ...cors }
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) headers['set-cookie'] = cookies
  res.writeHead(response.status, headers)
  res.end(Buffer.from(await response.arrayBuffer()))
}

function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin
  if (!origin) return {}
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Credentials': 'true',
    'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    'Access-Control-Allow-Headers':
      req.headers['access-control-request-headers'] ?? 'Authorization, Content-Type',
    'Access-Control-Expose-Headers': 'WWW-Authenticate, Retry-After, DPoP-Nonce',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  }
}

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item)
  }
  return headers
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = false
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_UPLOAD_BYTES) tooLarge = true
      else chunks.push(chunk)
    })
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
}
