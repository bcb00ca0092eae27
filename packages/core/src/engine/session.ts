import { InvalidTokenError } from '../errors/InvalidTokenError'
import { estimateClockOffset } from './clockSkew'
import { decodeAccessToken } from './decodeAccessToken'
import type { AccessTokenClaims, StoredSession, TokenSet } from './types'

/** How access tokens are read: decoded as JWTs, or taken as opaque strings. */
export type TokenFormat = 'jwt' | 'opaque'

/** The tokens of one session plus what retoken derived from them. */
export interface Session extends StoredSession {
  claims: AccessTokenClaims | null
  /**
   * Set when a token already looked due for renewal the moment it arrived (odd skew,
   * a margin longer than the token's life). Renewing it again could only loop, so it
   * is sent as is and renewed only when the server rejects it.
   */
  renewOnlyOnRejection: boolean
}

interface Timing {
  now: number
  clockToleranceMs: number
  tokenFormat: TokenFormat
  refreshMarginMs: number | undefined
}

/** Builds a session from tokens that have just arrived (login, refresh). */
export function sessionFromTokens(
  tokens: TokenSet,
  previousRefreshToken: string | null,
  timing: Timing,
): Session {
  if (typeof tokens !== 'object' || tokens === null) {
    throw new InvalidTokenError('response-not-object')
  }
  const { accessToken, expiresIn } = tokens
  if (typeof accessToken !== 'string' || accessToken.length === 0) {
    throw new InvalidTokenError('no-access-token')
  }
  if (expiresIn !== undefined && !(typeof expiresIn === 'number' && expiresIn > 0)) {
    throw new InvalidTokenError('bad-expires-in')
  }
  const refreshToken = readRefreshToken(tokens.refreshToken, previousRefreshToken)

  let claims: AccessTokenClaims | null = null
  let clockOffset = 0
  let expiresAt: number | null = null
  let lifetime: number | null = null
  if (timing.tokenFormat === 'jwt') {
    claims = decodeAccessToken(accessToken)
    if (claims.exp === undefined && expiresIn === undefined) {
      throw new InvalidTokenError('no-expiry')
    }
    clockOffset = estimateClockOffset(claims.iat, timing.now, timing.clockToleranceMs)
    if (claims.exp !== undefined) {
      expiresAt = claims.exp * 1000 - clockOffset
      if (claims.iat !== undefined) lifetime = (claims.exp - claims.iat) * 1000
    }
  }
  if (expiresAt === null && expiresIn !== undefined) expiresAt = timing.now + expiresIn * 1000
  if (lifetime === null && expiresIn !== undefined) lifetime = expiresIn * 1000

  const session: Session = {
    accessToken,
    refreshToken,
    expiresAt,
    lifetime,
    clockOffset,
    claims,
    renewOnlyOnRejection: false,
  }
  session.renewOnlyOnRejection = isDueForRenewal(session, timing.now, timing.refreshMarginMs)
  return session
}

/** Rebuilds a session from storage; returns `null` for anything unusable. */
export function sessionFromStorage(stored: unknown, tokenFormat: TokenFormat): Session | null {
  if (typeof stored !== 'object' || stored === null) return null
  const value = stored as Partial<StoredSession>
  if (typeof value.accessToken !== 'string' || value.accessToken.length === 0) return null
  let claims: AccessTokenClaims | null = null
  if (tokenFormat === 'jwt') {
    try {
      claims = decodeAccessToken(value.accessToken)
    } catch {
      return null
    }
  }
  return {
    accessToken: value.accessToken,
    refreshToken: typeof value.refreshToken === 'string' ? value.refreshToken : null,
    expiresAt: typeof value.expiresAt === 'number' ? value.expiresAt : null,
    lifetime: typeof value.lifetime === 'number' ? value.lifetime : null,
    clockOffset: typeof value.clockOffset === 'number' ? value.clockOffset : 0,
    ...(value.tokenType === 'DPoP' && {
      tokenType: value.tokenType,
      dpopJkt: value.dpopJkt ?? null,
    }),
    claims,
    // a stored token is old by nature: expiring soon is a reason to renew it
    renewOnlyOnRejection: false,
  }
}

/** The part of a session a {@link TokenStorage} keeps. */
export function toStoredSession(session: Session): StoredSession {
  // Bearer sessions have no tokenType or dpopJkt, so they keep the shape they always had
  const { claims: _, renewOnlyOnRejection: __, ...stored } = session
  return stored
}

/** The default margin: the smaller of 60 s and 20% of the token's lifetime. */
export function refreshMarginFor(session: Session, configuredMs: number | undefined): number {
  const lifetime = session.lifetime
  if (configuredMs !== undefined) {
    // a margin longer than half the lifetime would renew almost every request
    return lifetime === null ? configuredMs : Math.min(configuredMs, lifetime / 2)
  }
  return lifetime === null ? 60_000 : Math.min(60_000, lifetime * 0.2)
}

/** Whether the access token is close enough to expiry to renew before using it. */
export function isDueForRenewal(
  session: Session,
  now: number,
  refreshMarginMs: number | undefined,
): boolean {
  if (session.expiresAt === null || session.renewOnlyOnRejection) return false
  return session.expiresAt - now <= refreshMarginFor(session, refreshMarginMs)
}

/** Whether the access token has expired (expiry unknown means not known to be expired). */
export function isExpired(session: Session, now: number): boolean {
  return session.expiresAt !== null && session.expiresAt <= now
}

function readRefreshToken(value: unknown, previous: string | null): string | null {
  if (value === undefined || value === null) return previous
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidTokenError('bad-refresh-token')
  }
  return value
}
