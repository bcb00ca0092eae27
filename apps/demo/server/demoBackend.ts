import type { IncomingMessage, ServerResponse } from 'node:http'
import { type AuthServer, createAuthServer } from '@retoken/mock-server'
import { createNodeMiddleware, type NodeMiddleware } from '@retoken/mock-server/node'
import type { Connect } from 'vite'
import { createArmedFaults } from './armedFaults'
import {
  type DemoCounts,
  type LogEntry,
  type MockState,
  REFRESH_OUTCOMES,
  type ServerName,
} from './mockState'
import { createRefreshLedger } from './refreshLedger'

/** Access tokens live 20 seconds, so expiry and renewal happen while you watch. */
export const ACCESS_TOKEN_TTL = 20

/** The header that sends a request to the cookie-mode server. */
export const SERVER_HEADER = 'x-demo-server'

/** How long the upload route takes, so "a long upload" is visibly long. */
const UPLOAD_LATENCY_MS = 2_500

/** How long a "timeout" refresh is held at most; the client gives up after 5 s. */
const HOLD_MS = 30_000

const SERVERS: readonly ServerName[] = ['body', 'cookie']

/** The demo's whole backend: two mock auth servers, their middleware, faults, log and control API. */
export function createDemoBackend() {
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
  const ledger = createRefreshLedger()
  const armed = createArmedFaults()
  let controlLog: Array<Omit<LogEntry, 'seq'>> = []
  const held = new Set<IncomingMessage>()

  const prepare = () => {
    for (const server of Object.values(servers)) {
      server.faults.setLatency('POST /api/upload', UPLOAD_LATENCY_MS)
    }
  }
  prepare()

  const reset = () => {
    for (const name of SERVERS) servers[name].reset()
    ledger.clear()
    armed.clear()
    controlLog = []
    for (const req of held) req.socket.destroy()
    held.clear()
    prepare()
  }

  const state = (): MockState => {
    // the ledger lists refresh calls; the servers' own refresh lines would list them twice
    const audit = SERVERS.flatMap((server) =>
      servers[server].auditLog
        .filter((entry) => entry.type !== 'refresh' && entry.type !== 'rate_limited')
        .map(({ type, at, detail }) => ({
          server,
          type: type as LogEntry['type'],
          at,
          ...(detail ? { detail } : {}),
        })),
    )
    const lines: Array<Omit<LogEntry, 'seq'>> = [...ledger.lines(), ...audit, ...controlLog]
    const log: LogEntry[] = lines
      .sort((a, b) => a.at - b.at)
      .map((entry, seq) => ({ ...entry, seq }))
    const byOutcome = Object.fromEntries(
      REFRESH_OUTCOMES.map((outcome) => [
        outcome,
        log.filter((entry) => entry.type === 'refresh' && entry.outcome === outcome).length,
      ]),
    ) as DemoCounts['byOutcome']
    const sum = (key: 'reuseDetections' | 'expiredTokenRequests') =>
      SERVERS.reduce((total, name) => total + servers[name].counters[key], 0)
    return {
      accessTokenTtl: ACCESS_TOKEN_TTL,
      counts: {
        refreshCalls: log.filter((entry) => entry.type === 'refresh').length,
        byOutcome,
        reuseDetections: sum('reuseDetections'),
        expiredTokenRequests: sum('expiredTokenRequests'),
      },
      servers: { body: { ...servers.body.counters }, cookie: { ...servers.cookie.counters } },
      armed: armed.list(),
      log,
    }
  }

  /** `/__mock/*`: the switches the page's scenario cards flip. */
  const control = (name: ServerName, action: string, query: URLSearchParams) => {
    switch (action) {
      case 'GET state':
        return state()
      case 'POST fail-refresh':
        return armed.arm(name, query.get('kind') ?? '') ? { ok: true } : null
      case 'POST slow-refresh':
        armed.arm(name, 'slow', Number(query.get('ms') ?? 3_000) || 3_000)
        return { ok: true }
      case 'POST disarm':
        armed.clear()
        return { ok: true }
      case 'POST revoke':
        for (const server of Object.values(servers)) server.faults.revokeAllSessions()
        return { ok: true }
      case 'POST expire': {
        // tokens are expired on the server without moving its clock: iat, exp and the
        // client's skew estimate stay true however often this is pressed
        let expired = 0
        for (const server of Object.values(servers)) expired += server.faults.expireAccessTokens()
        const at = servers[name].clock.now()
        const detail = `${expired} access token${expired === 1 ? '' : 's'} expired early; the clock did not move`
        controlLog.push({ server: name, at, type: 'expire', detail })
        return { ok: true, expired }
      }
      case 'POST reset':
        reset()
        return { ok: true }
      default:
        return null
    }
  }

  /** Plays an armed fault on a refresh call; returns true when the fault answered it. */
  const playFault = (name: ServerName, req: IncomingMessage, res: ServerResponse): boolean => {
    const fault = armed.take(name)
    const at = servers[name].clock.now()
    if (!fault) return false
    if (fault.kind === 'server-error') {
      req.resume()
      ledger.record(name, at, 'server-error', '500: injected fault')
      json(res, 500, {
        error: 'server_error',
        error_description: 'Injected fault: the refresh failed',
      })
      return true
    }
    if (fault.kind === 'network-error') {
      // the answer starts, then the connection dies: a network error no browser retries
      // (Chromium silently resends a request whose connection closes before any answer)
      ledger.record(name, at, 'cut', 'the connection was cut mid-answer')
      req.resume()
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1024' })
      res.write('{', () => req.socket.destroy())
      return true
    }
    if (fault.kind === 'timeout') {
      // lost on the way: the server never sees it and the client's refreshTimeout gives up
      // (a late answer from the mock server would spend the token, and look like reuse later)
      held.add(req)
      req.resume()
      const timer = setTimeout(() => req.socket.destroy(), HOLD_MS)
      res.on('close', () => {
        clearTimeout(timer)
        held.delete(req)
        ledger.record(name, at, 'timed-out', 'held until the client gave up')
      })
      return true
    }
    // slow: the exchange happens after the delay, as a busy server's would
    ledger.watch(name, at, res)
    setTimeout(() => middleware[name](req, res), fault.ms)
    return true
  }

  const handle: Connect.NextHandleFunction = (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://demo.retoken.test')
    const path = url.pathname
    const header = req.headers[SERVER_HEADER]
    const name: ServerName =
      header === 'cookie' || url.searchParams.get('server') === 'cookie' ? 'cookie' : 'body'

    if (path.startsWith('/__mock/')) {
      const action = `${req.method} ${path.slice('/__mock/'.length)}`
      const result = control(name, action, url.searchParams)
      return json(res, result ? 200 : 404, result ?? { error: 'not_found' })
    }
    if (!(path.startsWith('/auth/') || path.startsWith('/api/') || path === '/oauth/token')) {
      return next()
    }
    const isRefresh = req.method === 'POST' && (path === '/auth/refresh' || path === '/oauth/token')
    if (isRefresh) {
      if (playFault(name, req, res)) return
      ledger.watch(name, servers[name].clock.now(), res)
    }
    middleware[name](req, res)
  }
  return { handle }
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
  res.end(JSON.stringify(body))
}
