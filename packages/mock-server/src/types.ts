import type { RequestHandler } from 'msw'
import type { DpopServerOptions } from './dpop/dpopServer'
import type { SessionPersistence } from './sessions'

/** A user the server knows. */
export interface MockUser {
  id: string
  email: string
  password: string
  name: string
  /** OAuth scopes granted to this user's access tokens. */
  scopes: string[]
}

/** The user as the API returns it (no password). */
export type PublicUser = Omit<MockUser, 'password' | 'scopes'> & { scopes: string[] }

/** How a refresh call is made to fail. */
export type RefreshFault =
  | 'server-error'
  | 'network-error'
  | { delayMs: number }
  /** The exchange happens (the token is spent), then the answer waits: a client gone by then loses it. */
  | { answerAfterMs: number }

/** Options of {@link createAuthServer}; every one has a default. */
export interface AuthServerOptions {
  /** Origin (and optional path prefix) the handlers answer on. @default 'http://localhost:4010' */
  baseUrl: string
  /** Access token lifetime in seconds. @default 300 */
  accessTokenTtl: number
  /** Absolute lifetime of a refresh-token family in seconds, fixed at login. @default 86400 */
  refreshTokenTtl: number
  /** The server's clock in ms. @default Date.now */
  now: () => number
  /** Seconds added to `now()`: a server clock ahead (+) or behind (-) its clients. @default 0 */
  clockOffset: number
  /** HS256 signing key. @default a fixed development secret */
  secret: string
  /** Users who can log in. @default [demoUser] */
  users: MockUser[]
  /** Issue a new refresh token on every refresh and spend the old one. @default true */
  rotation: boolean
  /** Revoke the whole family when a spent refresh token is presented. @default true */
  reuseDetection: boolean
  /**
   * Seconds during which the refresh token spent by the latest rotation may be used again
   * without counting as reuse (Auth0's reuse interval); older spent tokens are always reuse.
   * @default 0
   */
  reuseGraceSeconds: number
  /** Send the refresh token as an HttpOnly cookie instead of in JSON bodies. @default false */
  refreshTokenCookie: boolean
  /** Refresh calls allowed per session (token family) per window. @default { limit: 60, windowSeconds: 60 } */
  rateLimit: { limit: number; windowSeconds: number }
  /** How long `GET /api/slow` takes, in ms. @default 2000 */
  slowRouteDelayMs: number
  /** Largest accepted request body in bytes. @default 16384 */
  maxBodyBytes: number
  /** Keeps sessions across restarts (for example a page reload in the demo). @default null: memory only */
  persistence: SessionPersistence | null
  /**
   * DPoP mode (RFC 9449): token requests with a proof get tokens bound to its key
   * (`cnf.jkt`, `token_type: DPoP`), resources check proofs. `null` ignores proofs, as a
   * server without DPoP does. Partial options take the defaults for the rest.
   * @default null
   */
  dpop: DpopModeOptions | null
}

/** {@link DpopServerOptions} as `createAuthServer` takes them: any subset. */
export type DpopModeOptions = Partial<Omit<DpopServerOptions, 'nonce'>> & {
  nonce?: Partial<DpopServerOptions['nonce']>
}

/** What tests and benchmarks count. */
export interface AuthServerCounters {
  /** Calls to `/auth/refresh` and `/oauth/token`, failed ones included. */
  refreshCalls: number
  /** Requests per route, keyed like `'GET /api/orders'`. */
  requestsByRoute: Record<string, number>
  /** Requests that arrived with an access token that had expired. */
  expiredTokenRequests: number
  /** Spent refresh tokens presented again. */
  reuseDetections: number
  /** DPoP proofs refused as invalid (DPoP mode). */
  dpopProofRejections: number
  /** Requests refused with `use_dpop_nonce` (DPoP mode). */
  dpopNonceChallenges: number
  /**
   * Resource requests refused for DPoP, nonce challenges aside: no proof or an invalid one,
   * another key's proof, a bound token sent as Bearer, an unbound one sent as DPoP (DPoP mode).
   */
  dpopResourceRefusals: number
}

/** One line of the audit log. */
export interface AuditEntry {
  type:
    | 'login'
    | 'login_failed'
    | 'refresh'
    | 'reuse_detected'
    | 'revoked'
    | 'logout'
    | 'rate_limited'
    /** A resource refused an access token's use for DPoP (see `dpopResourceRefusals`). */
    | 'dpop_refused'
  /** Server time in ms. */
  at: number
  sub?: string
  family?: string
  detail?: string
}

/** Tokens as login returns them. */
export interface IssuedSession {
  accessToken: string
  refreshToken: string
  expiresIn: number
  user: PublicUser
  /** `'DPoP'` when the tokens are bound to the key of the login's DPoP proof. */
  tokenType?: 'DPoP'
}

/** Fault injection controls. */
export interface FaultControls {
  /** The next `count` refresh calls fail this way. */
  failNextRefresh(count: number, fault: RefreshFault): void
  /** Adds latency (ms) to a route (`'GET /api/orders'`) or to every route (`'*'`). */
  setLatency(route: string, ms: number): void
  /** Revokes every refresh-token family and the access tokens issued from them. */
  revokeAllSessions(): void
  /**
   * Every access token issued so far is answered as expired (`token_expired`), without
   * moving the clock; returns how many were still valid. Tokens issued later are not.
   */
  expireAccessTokens(): number
  /** DPoP mode: the next `count` proofs are refused as invalid. */
  rejectNextDpopProofs(count: number): void
  /** DPoP mode: refuse every nonce and hand out a new one each time (a server that keeps asking). */
  churnDpopNonces(on: boolean): void
  /** DPoP mode: issue a new nonce now; the one before stays accepted until the next rotation. */
  rotateDpopNonce(): void
}

/** The running mock server: handlers, state for assertions, and controls. */
export interface AuthServer {
  /** MSW handlers for `setupServer` (Node) or `setupWorker` (browser). */
  readonly handlers: RequestHandler[]
  /** Live counters. */
  readonly counters: Readonly<AuthServerCounters>
  /** Everything security-relevant that happened, oldest first. */
  readonly auditLog: readonly AuditEntry[]
  readonly faults: FaultControls
  /** The server clock: `now()` with its offset applied. */
  readonly clock: { now(): number; setOffset(seconds: number): void }
  /** The options in force. */
  readonly options: Readonly<AuthServerOptions>
  /** Logs a user in without HTTP (for test setup); `jkt` binds the session to a DPoP key's thumbprint. */
  issueTokens(email?: string, binding?: { jkt?: string }): Promise<IssuedSession>
  /** Signs any claims with the server key, for tests that craft odd tokens. */
  signToken(claims: Record<string, unknown>, header?: { typ?: string }): Promise<string>
  /** Forgets sessions, counters, the audit log, faults and the clock offset. */
  reset(): void
}
