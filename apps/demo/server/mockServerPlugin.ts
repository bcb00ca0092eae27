import type { IncomingMessage, ServerResponse } from 'node:http'
import { type AuditEntry, type AuthServer, createAuthServer } from '@retoken/mock-server'
import { createNodeMiddleware, type NodeMiddleware } from '@retoken/mock-server/node'
import type { Connect, Plugin } from 'vite'

/** Access tokens live 20 seconds, so expiry and renewal happen while you watch. */
export const ACCESS_TOKEN_TTL = 20

/** The header that sends a request to the cookie-mode server (see {@link mockServerPlugin}). */
export const SERVER_HEADER = 'x-demo-server'

type ServerName = 'body' | 'cookie'

/** What `GET /__mock/state` returns. */
export interface MockState {
  server: ServerName
  accessTokenTtl: number
  /** Seconds the server clock has been moved ahead by "expire now". */
  clockOffsetSeconds: number
  counters: AuthServer['counters']
  /** Refresh calls the plugin held until the client gave up (the "timeout" fault). */
  timedOutRefreshes: number
  /** Refresh calls whose connection the plugin cut mid-answer (the "network error" fault). */
  droppedRefreshes: number
  /** Oldest first: the mock server's audit log plus the plugin's timeouts. */
  auditLog: Array<
    Omit<AuditEntry, 'type'> & {
      type: AuditEntry['type'] | 'refresh_timeout' | 'refresh_dropped'
      seq?: number
    }
  >
}

/** How long the upload route takes, so "a long upload" is visibly long. */
const UPLOAD_LATENCY_MS = 2_500

/** The demo's whole backend: two mock auth servers, their middleware and the control API. */
function createDemoBackend() {
  const make = (refreshTokenCookie: boolean) =>
    createAuthServer({
      // the handlers match this origin; the middleware maps every request onto it
      baseUrl: 'http://demo.retoken.test',
      accessTokenTtl: ACCESS_TOKEN_TTL,
      refreshTokenTtl: 3_600,
      refreshTokenCookie,
      slowRouteDelayMs: 1_500,
      maxBodyBytes: 1024 * 1024,
    })
  // refreshTokenCookie is fixed per server, so cookie mode has a server of its own
  const servers: Record<ServerName, AuthServer> = { body: make(false), cookie: make(true) }
  const middleware: Record<ServerName, NodeMiddleware> = {
    body: createNodeMiddleware(servers.body, { cors: false }),
    cookie: createNodeMiddleware(servers.cookie, { cors: false }),
  }
  /** The plugin's own faults (see the route handler below) and its log lines. */
  const fresh = () => ({
    timeouts: 0,
    timedOut: 0,
    drops: 0,
    dropped: 0,
    log: [] as MockState['auditLog'],
  })
  const extra: Record<ServerName, ReturnType<typeof fresh>> = { body: fresh(), cookie: fresh() }
  let clockOffset = 0
  const held = new Set<IncomingMessage>()

  const prepare = () => {
    for (const server of Object.values(servers)) {
      server.faults.setLatency('POST /api/upload', UPLOAD_LATENCY_MS)
    }
  }
  prepare()

  const reset = () => {
    for (const name of ['body', 'cookie'] as const) {
      servers[name].reset()
      extra[name] = fresh()
    }
    for (const req of held) req.socket.destroy()
    held.clear()
    clockOffset = 0
    prepare()
  }

  const state = (name: ServerName): MockState => {
    const server = servers[name]
    return {
      server: name,
      accessTokenTtl: ACCESS_TOKEN_TTL,
      clockOffsetSeconds: clockOffset,
      counters: server.counters,
      timedOutRefreshes: extra[name].timedOut,
      droppedRefreshes: extra[name].dropped,
      auditLog: [...server.auditLog, ...extra[name].log]
        .sort((a, b) => a.at - b.at)
        .map((entry, seq) => ({ ...entry, seq })),
    }
  }

  /** `/__mock/*`: the switches the page's scenario cards flip. */
  const control = (name: ServerName, action: string, query: URLSearchParams) => {
    const server = servers[name]
    const count = Math.max(1, Math.min(10, Number(query.get('count') ?? 1) || 1))
    switch (action) {
      case 'GET state':
        return state(name)
      case 'POST fail-refresh': {
        const kind = query.get('kind')
        if (kind === 'server-error') server.faults.failNextRefresh(count, kind)
        // the mock server's own 'network-error' destroys the socket before any answer, and
        // Chromium silently resends a request whose reused connection closed that way
        else if (kind === 'network-error') extra[name].drops += count
        else if (kind === 'timeout') extra[name].timeouts += count
        else return null
        return { ok: true }
      }
      case 'POST slow-refresh':
        server.faults.failNextRefresh(count, {
          delayMs: Math.min(10_000, Number(query.get('ms') ?? 3_000) || 3_000),
        })
        return { ok: true }
      case 'POST revoke':
        server.faults.revokeAllSessions()
        return { ok: true }
      case 'POST expire':
        // the servers' clocks jump past every access token's expiry; the browser's does not
        clockOffset += ACCESS_TOKEN_TTL + 1
        for (const each of Object.values(servers)) each.clock.setOffset(clockOffset)
        return { ok: true, clockOffsetSeconds: clockOffset }
      case 'POST reset':
        reset()
        return { ok: true }
      default:
        return null
    }
  }

  const handle: Connect.NextHandleFunction = (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://demo.retoken.test')
    const path = url.pathname
    const header = req.headers[SERVER_HEADER]
    const name: ServerName =
      header === 'cookie' || url.searchParams.get('server') === 'cookie' ? 'cookie' : 'body'

    if (path.startsWith('/__mock/')) {
      const result = control(
        name,
        `${req.method} ${path.slice('/__mock/'.length)}`,
        url.searchParams,
      )
      return json(res, result ? 200 : 404, result ?? { error: 'not_found' })
    }
    if (!(path.startsWith('/auth/') || path.startsWith('/api/') || path === '/oauth/token')) {
      return next()
    }
    if (req.method === 'POST' && path === '/auth/refresh' && extra[name].drops > 0) {
      // the answer starts, then the connection dies: a network error no browser retries
      extra[name].drops -= 1
      extra[name].dropped += 1
      extra[name].log.push({ type: 'refresh_dropped', at: servers[name].clock.now() })
      req.resume()
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1024' })
      res.write('{', () => req.socket.destroy())
      return
    }
    if (req.method === 'POST' && path === '/auth/refresh' && extra[name].timeouts > 0) {
      // a refresh lost on the way: the server never sees it and the client waits until
      // its refreshTimeout gives up (the mock server's own { delayMs } would still spend
      // the refresh token late, and the client's next refresh would then look like reuse)
      extra[name].timeouts -= 1
      extra[name].timedOut += 1
      extra[name].log.push({ type: 'refresh_timeout', at: servers[name].clock.now() })
      held.add(req)
      req.resume()
      const release = () => {
        held.delete(req)
        if (!res.writableEnded) req.socket.destroy()
      }
      const timer = setTimeout(release, 30_000)
      res.on('close', () => {
        clearTimeout(timer)
        held.delete(req)
      })
      return
    }
    middleware[name](req, res)
  }
  return { handle, reset }
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
  res.end(JSON.stringify(body))
}

/**
 * Serves the mock auth server over real HTTP on Vite's own origin, in `vite dev` and in
 * `vite preview`: `/auth/*`, `/api/*` and a control API under `/__mock/*`. Its state lives
 * in the Vite process, so every tab talks to one server and a reload forgets nothing.
 * Requests with `x-demo-server: cookie` (or `?server=cookie`) go to a second server that
 * keeps refresh tokens in an HttpOnly cookie.
 */
export function mockServerPlugin(): Plugin {
  let backend: ReturnType<typeof createDemoBackend> | undefined
  const use = (middlewares: Connect.Server) => {
    backend ??= createDemoBackend()
    // mounted directly, not in a returned hook: it runs before Vite's own middleware
    middlewares.use(backend.handle)
  }
  return {
    name: 'retoken-demo-mock-server',
    configureServer: (server) => use(server.middlewares),
    configurePreviewServer: (server) => use(server.middlewares),
  }
}
