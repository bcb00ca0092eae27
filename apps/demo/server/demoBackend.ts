import type { IncomingMessage, ServerResponse } from 'node:http'
import { type AuthServer, createAuthServer } from '@retoken/mock-server'
import { createNodeMiddleware, type NodeMiddleware } from '@retoken/mock-server/node'
import type { Connect } from 'vite'
import { createArmedFaults } from './armedFaults'
import { createDpopServers } from './dpopServers'
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

/** The header that sends a request to the cookie-mode (`cookie`) or DPoP (`dpop`) server. */
export const SERVER_HEADER = 'x-demo-server'

/** How long the upload route takes, so "a long upload" is visibly long. */
const UPLOAD_LATENCY_MS = 2_500

/** How long a "timeout" refresh is held at most; the client gives up after 5 s. */
const HOLD_MS = 30_000

const SERVERS: readonly ServerName[] = ['body', 'cookie', 'dpop']

/** The demo's whole backend: three kinds of mock auth server, their middleware, faults, log and control API. */
export function createDemoBackend() {
  const make = (options: { refreshTokenCookie?: boolean; dpop?: boolean; baseUrl?: string }) => {
    const server = createAuthServer({
      // the handlers match this origin; the middleware maps every request onto it
      baseUrl: options.baseUrl ?? 'http://demo.retoken.test',
      accessTokenTtl: ACCESS_TOKEN_TTL,
      refreshTokenTtl: 3_600,
      refreshTokenCookie: options.refreshTokenCookie ?? false,
      slowRouteDelayMs: 1_500,
      maxBodyBytes: 1024 * 1024,
      // every token bound to a key, and nonces asked for on both sides, so retries show
      ...(options.dpop
        ? { dpop: { required: true, nonce: { authorization: true, resource: true } } }
        : {}),
    })
    server.faults.setLatency('POST /api/upload', UPLOAD_LATENCY_MS)
    return server
  }
  // refreshTokenCookie is fixed per server, so cookie mode has a server of its own
  const fixed = { body: make({}), cookie: make({ refreshTokenCookie: true }) }
  const fixedMiddleware: Record<'body' | 'cookie', NodeMiddleware> = {
    body: createNodeMiddleware(fixed.body, { cors: false }),
    cookie: createNodeMiddleware(fixed.cookie, { cors: false }),
  }
  const dpop = createDpopServers((baseUrl) => make({ dpop: true, baseUrl }))
  const serversNamed = (name: ServerName): AuthServer[] =>
    name === 'dpop' ? dpop.all() : [fixed[name]]
  const allServers = () => SERVERS.flatMap(serversNamed)
  const middlewareFor = (name: ServerName, req: IncomingMessage): NodeMiddleware =>
    name === 'dpop' ? dpop.for(req).middleware : fixedMiddleware[name]
  // no server's clock is ever moved: one clock for every line
  const now = () => fixed.body.clock.now()
  const ledger = createRefreshLedger()
  const armed = createArmedFaults()
  let controlLog: Array<Omit<LogEntry, 'seq'>> = []
  const held = new Set<IncomingMessage>()

  const reset = () => {
    for (const server of allServers()) {
      server.reset()
      server.faults.setLatency('POST /api/upload', UPLOAD_LATENCY_MS)
    }
    ledger.clear()
    armed.clear()
    controlLog = []
    for (const req of held) req.socket.destroy()
    held.clear()
  }

  const state = (): MockState => {
    // the ledger lists refresh calls; the servers' own refresh lines would list them twice
    const audit = SERVERS.flatMap((server) =>
      serversNamed(server)
        .flatMap((instance) => instance.auditLog)
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
    const sum = (
      key:
        | 'reuseDetections'
        | 'expiredTokenRequests'
        | 'dpopNonceChallenges'
        | 'dpopResourceRefusals',
    ) => allServers().reduce((total, server) => total + server.counters[key], 0)
    return {
      accessTokenTtl: ACCESS_TOKEN_TTL,
      counts: {
        refreshCalls: log.filter((entry) => entry.type === 'refresh').length,
        byOutcome,
        reuseDetections: sum('reuseDetections'),
        expiredTokenRequests: sum('expiredTokenRequests'),
        dpopRefusals: sum('dpopResourceRefusals'),
        dpopNonceChallenges: sum('dpopNonceChallenges'),
      },
      servers: {
        body: { ...fixed.body.counters },
        cookie: { ...fixed.cookie.counters },
        dpop: dpop.counters(),
      },
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
        for (const server of allServers()) server.faults.revokeAllSessions()
        return { ok: true }
      case 'POST expire': {
        // tokens are expired on the server without moving its clock: iat, exp and the
        // client's skew estimate stay true however often this is pressed
        let expired = 0
        for (const server of allServers()) expired += server.faults.expireAccessTokens()
        const at = now()
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
    const at = now()
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
    setTimeout(() => middlewareFor(name, req)(req, res), fault.ms)
    return true
  }

  const handle: Connect.NextHandleFunction = (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://demo.retoken.test')
    const path = url.pathname
    const asked = req.headers[SERVER_HEADER] ?? url.searchParams.get('server')
    const name: ServerName = asked === 'cookie' || asked === 'dpop' ? asked : 'body'

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
      ledger.watch(name, now(), res)
    }
    middlewareFor(name, req)(req, res)
  }
  return { handle }
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
  res.end(JSON.stringify(body))
}
