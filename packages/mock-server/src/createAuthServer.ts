import { ServerClock } from './clock'
import type { ServerContext } from './context'
import { DPOP_DEFAULTS, DpopServer } from './dpop/dpopServer'
import { EarlyExpiry } from './earlyExpiry'
import { Faults } from './faults'
import { apiRoutes } from './handlers/apiRoutes'
import { authRoutes } from './handlers/authRoutes'
import { discoveryRoutes } from './handlers/discoveryRoutes'
import { issueSession, revokeFamily } from './issuer'
import { RateLimiter } from './rateLimiter'
import { SessionStore } from './sessions'
import { TokenSigner } from './tokens'
import type {
  AuditEntry,
  AuthServer,
  AuthServerCounters,
  AuthServerOptions,
  MockUser,
} from './types'

/** The seeded user: `demo@retoken.dev` / `password123`, allowed to read orders but not to administer. */
export const demoUser: MockUser = {
  id: 'user_demo',
  email: 'demo@retoken.dev',
  password: 'password123',
  name: 'Demo User',
  scopes: ['profile', 'orders:read'],
}

const DEFAULTS: AuthServerOptions = {
  baseUrl: 'http://localhost:4010',
  accessTokenTtl: 300,
  refreshTokenTtl: 86_400,
  now: () => Date.now(),
  clockOffset: 0,
  secret: 'retoken-mock-server-development-secret-do-not-use-in-production',
  users: [demoUser],
  rotation: true,
  reuseDetection: true,
  reuseGraceSeconds: 0,
  refreshTokenCookie: false,
  rateLimit: { limit: 60, windowSeconds: 60 },
  slowRouteDelayMs: 2_000,
  maxBodyBytes: 16_384,
  persistence: null,
  dpop: null,
}

/**
 * Creates an in-memory auth server whose MSW handlers run in Node (`msw/node`) and in
 * browsers (`msw/browser`). Each instance keeps its own state, so tests never share it.
 * @example
 * const server = createAuthServer({ baseUrl: 'http://api.test', accessTokenTtl: 60 })
 * setupServer(...server.handlers).listen({ onUnhandledRequest: 'error' })
 */
export function createAuthServer(overrides: Partial<AuthServerOptions> = {}): AuthServer {
  const options = validate({ ...DEFAULTS, ...overrides })
  const clock = new ServerClock(options.now, options.clockOffset)
  const counters: AuthServerCounters = emptyCounters()
  const auditLog: AuditEntry[] = []
  const ctx: ServerContext = {
    options,
    clock,
    signer: new TokenSigner(options.secret, clock),
    sessions: new SessionStore(options.persistence),
    limiter: new RateLimiter(options.rateLimit.limit, options.rateLimit.windowSeconds),
    faults: new Faults(),
    earlyExpiry: new EarlyExpiry(),
    dpop: options.dpop
      ? new DpopServer(
          {
            ...DPOP_DEFAULTS,
            ...options.dpop,
            nonce: { ...DPOP_DEFAULTS.nonce, ...options.dpop.nonce },
          },
          clock,
          counters,
        )
      : null,
    counters,
    audit: (entry) => auditLog.push({ ...entry, at: clock.now() }),
  }

  return {
    handlers: [...authRoutes(ctx), ...apiRoutes(ctx), ...discoveryRoutes(ctx)],
    counters,
    auditLog,
    options,
    clock: { now: () => clock.now(), setOffset: (seconds) => clock.setOffset(seconds) },
    faults: {
      failNextRefresh: (count, fault) => ctx.faults.failNextRefresh(count, fault),
      setLatency: (routeKey, ms) => ctx.faults.setLatency(routeKey, ms),
      expireAccessTokens: () => ctx.earlyExpiry.expireAll(clock.seconds()),
      revokeAllSessions() {
        for (const family of ctx.sessions.active())
          revokeFamily(ctx, family, 'all sessions revoked')
      },
      rejectNextDpopProofs: (count) => dpopMode(ctx).rejectNextProofs(count),
      churnDpopNonces: (on) => dpopMode(ctx).nonces.setChurn(on),
      rotateDpopNonce: () => dpopMode(ctx).nonces.rotate(),
    },
    async issueTokens(email = options.users[0]?.email, binding = {}) {
      const user = options.users.find((candidate) => candidate.email === email)
      if (!user) throw new Error(`No user with email ${String(email)}`)
      return issueSession(ctx, user, binding.jkt ?? null)
    },
    signToken: (claims, header = {}) => ctx.signer.sign(claims, header.typ ?? 'at+jwt'),
    reset() {
      ctx.sessions.clear()
      ctx.limiter.clear()
      ctx.faults.clear()
      ctx.earlyExpiry.clear()
      ctx.dpop?.reset()
      clock.reset()
      Object.assign(counters, emptyCounters())
      auditLog.length = 0
    },
  }
}

function emptyCounters(): AuthServerCounters {
  return {
    refreshCalls: 0,
    requestsByRoute: {},
    expiredTokenRequests: 0,
    reuseDetections: 0,
    dpopProofRejections: 0,
    dpopNonceChallenges: 0,
    dpopResourceRefusals: 0,
  }
}

function dpopMode(ctx: ServerContext): DpopServer {
  if (!ctx.dpop) throw new Error('createAuthServer: this control needs the `dpop` option')
  return ctx.dpop
}

function validate(options: AuthServerOptions): AuthServerOptions {
  const positive = ['accessTokenTtl', 'refreshTokenTtl', 'maxBodyBytes'] as const
  for (const key of positive) {
    if (!(typeof options[key] === 'number' && options[key] > 0)) {
      throw new TypeError(`createAuthServer: \`${key}\` must be a positive number`)
    }
  }
  const { limit, windowSeconds } = options.rateLimit
  if (!(Number.isInteger(limit) && limit > 0 && windowSeconds > 0)) {
    throw new TypeError(
      'createAuthServer: `rateLimit` needs a positive integer `limit` and positive `windowSeconds`',
    )
  }
  if (!(options.reuseGraceSeconds >= 0 && options.slowRouteDelayMs >= 0)) {
    throw new TypeError(
      'createAuthServer: `reuseGraceSeconds` and `slowRouteDelayMs` must be numbers >= 0',
    )
  }
  if (!/^https?:\/\/[^/]+/.test(options.baseUrl)) {
    throw new TypeError('createAuthServer: `baseUrl` must be an absolute http(s) URL')
  }
  if (options.secret.length < 32) {
    throw new TypeError('createAuthServer: `secret` must be at least 32 characters for HS256')
  }
  return { ...options, baseUrl: options.baseUrl.replace(/\/$/, '') }
}
