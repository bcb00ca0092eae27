import { publicUser, type ServerContext } from './context'
import type { TokenFamily } from './sessions'
import type { IssuedSession, MockUser } from './types'

/** Outcome of a refresh, independent of the endpoint's wire format. */
export type RefreshOutcome =
  | {
      ok: true
      accessToken: string
      refreshToken: string | undefined
      expiresIn: number
      /** DPoP: the key the new access token is bound to. */
      jkt: string | null
    }
  | { ok: false; error: 'invalid_grant'; description: string }
  | { ok: false; error: 'rate_limited'; description: string; retryAfter: number }

/** Starts a new refresh-token family for `user` (a login). */
export async function issueSession(
  ctx: ServerContext,
  user: MockUser,
  jkt: string | null = null,
): Promise<IssuedSession> {
  const expiresAt = ctx.clock.now() + ctx.options.refreshTokenTtl * 1000
  const family = ctx.sessions.create(user.id, expiresAt, jkt)
  ctx.audit({ type: 'login', sub: user.id, family: family.id })
  return {
    accessToken: await signAccessFor(ctx, user, family, jkt),
    refreshToken: await signRefreshFor(ctx, family),
    expiresIn: ctx.options.accessTokenTtl,
    user: publicUser(user),
    ...(jkt ? { tokenType: 'DPoP' as const } : {}),
  }
}

/**
 * Exchanges a refresh token: rotation, reuse detection, grace interval and rate limit
 * live here. `jkt` is the key of the request's DPoP proof, if it had one.
 */
export async function refreshSession(
  ctx: ServerContext,
  token: string,
  jkt: string | null = null,
): Promise<RefreshOutcome> {
  const verified = await ctx.signer.verifyRefresh(token)
  if (!verified.ok) {
    return invalidGrant(
      verified.reason === 'expired'
        ? 'The refresh token has expired'
        : 'The refresh token is invalid',
    )
  }
  const { fid, jti } = verified.claims
  const family = ctx.sessions.get(fid)
  if (!family) return invalidGrant('The refresh token is unknown')
  if (family.revoked) return invalidGrant('The session has been revoked')
  const now = ctx.clock.now()
  if (family.expiresAt <= now) return invalidGrant('The session has expired')
  // RFC 9449 section 5: a public client's refresh token works only with its key, so a
  // stolen one is refused before it is spent (and without revoking the real client)
  if (family.jkt && family.jkt !== jkt) {
    return invalidGrant('The refresh token is bound to another DPoP key')
  }

  const retryAfter = ctx.limiter.hit(family.id, now)
  if (retryAfter > 0) {
    ctx.audit({ type: 'rate_limited', sub: family.sub, family: family.id })
    return { ok: false, error: 'rate_limited', description: 'Too many refresh calls', retryAfter }
  }

  if (jti !== family.currentJti) {
    const spentAt = family.spent.get(jti)
    if (spentAt === undefined) return invalidGrant('The refresh token is unknown')
    // as Auth0's reuse interval: only the token spent by the latest rotation is forgiven,
    // so a stolen token two generations old is still caught inside the interval
    const grace = ctx.options.reuseGraceSeconds * 1000
    const withinGrace = grace > 0 && jti === family.previousJti && now - spentAt <= grace
    if (!withinGrace) {
      if (!ctx.options.reuseDetection)
        return invalidGrant('The refresh token has already been used')
      ctx.counters.reuseDetections += 1
      ctx.audit({ type: 'reuse_detected', sub: family.sub, family: family.id })
      revokeFamily(ctx, family, 'refresh token reuse')
      return invalidGrant('Refresh token reuse detected: the session has been revoked')
    }
  }

  const user = ctx.options.users.find((candidate) => candidate.id === family.sub)
  if (!user) return invalidGrant('The user no longer exists')
  let refreshToken: string | undefined
  if (ctx.options.rotation) {
    ctx.sessions.rotate(family, now)
    refreshToken = await signRefreshFor(ctx, family)
  }
  ctx.audit({ type: 'refresh', sub: family.sub, family: family.id })
  return {
    ok: true,
    accessToken: await signAccessFor(ctx, user, family, jkt),
    refreshToken,
    expiresIn: ctx.options.accessTokenTtl,
    jkt,
  }
}

/** Revokes a family and, with it, every access token issued from it. */
export function revokeFamily(ctx: ServerContext, family: TokenFamily, detail: string): void {
  if (ctx.sessions.revoke(family)) {
    ctx.audit({ type: 'revoked', sub: family.sub, family: family.id, detail })
  }
}

async function signAccessFor(
  ctx: ServerContext,
  user: MockUser,
  family: TokenFamily,
  jkt: string | null,
) {
  const token = await ctx.signer.signAccess(
    // name and email ride along (as custom claims do with Auth0 or Keycloak) so a
    // client restoring a session can show who is logged in without another call
    {
      sub: user.id,
      sid: family.id,
      scope: user.scopes.join(' '),
      name: user.name,
      email: user.email,
      // RFC 9449 section 6: the access token names the key that must prove its use
      ...(jkt ? { cnf: { jkt } } : {}),
    },
    ctx.options.accessTokenTtl,
  )
  ctx.earlyExpiry.issued(token)
  return token
}

function signRefreshFor(ctx: ServerContext, family: TokenFamily) {
  return ctx.signer.signRefresh(
    { sub: family.sub, fid: family.id, jti: family.currentJti },
    Math.floor(family.expiresAt / 1000),
  )
}

function invalidGrant(description: string): RefreshOutcome {
  return { ok: false, error: 'invalid_grant', description }
}
