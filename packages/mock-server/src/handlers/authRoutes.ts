import { delay, type HttpHandler, HttpResponse } from 'msw'
import { route, type ServerContext } from '../context'
import { tokenRequestBinding, withNonce } from '../dpop/dpopRoutes'
import { badRequest, oauthError } from '../httpErrors'
import { issueSession, refreshSession, revokeFamily } from '../issuer'
import { readForm, readJsonObject, stringField } from '../requestBody'

/** Name of the HttpOnly cookie that carries the refresh token when `refreshTokenCookie` is on. */
export const REFRESH_COOKIE = 'retoken_rt'

/** `/auth/login`, `/auth/refresh`, `/auth/logout` and the RFC 6749 `/oauth/token`. */
export function authRoutes(ctx: ServerContext): HttpHandler[] {
  const { maxBodyBytes, refreshTokenCookie } = ctx.options

  const cookieHeader = (token: string | undefined, maxAgeSeconds: number) =>
    `${REFRESH_COOKIE}=${token ?? ''}; HttpOnly; SameSite=Lax; Path=/auth; Max-Age=${maxAgeSeconds}`

  /** Counts the call and applies an injected fault; returns a response if the fault answers. */
  const refreshFault = async () => {
    ctx.counters.refreshCalls += 1
    const fault = ctx.faults.takeRefreshFault()
    if (fault === 'server-error') {
      return oauthError(500, 'server_error', 'Injected fault: the refresh failed')
    }
    if (fault === 'network-error') return HttpResponse.error()
    if (fault && 'delayMs' in fault) await delay(fault.delayMs)
    return fault && 'answerAfterMs' in fault ? fault.answerAfterMs : undefined
  }

  /** One refresh for both wire formats: faults first, then the exchange; a Response is a failure. */
  const exchange = async (token: string, refusedStatus: 400 | 401, jkt: string | null) => {
    const faulted = await refreshFault()
    if (faulted instanceof Response) return faulted
    const outcome = await refreshSession(ctx, token, jkt)
    if (typeof faulted === 'number') await delay(faulted)
    if (outcome.ok) return outcome
    if (outcome.error === 'rate_limited') {
      return oauthError(429, 'rate_limited', outcome.description, {
        'Retry-After': String(outcome.retryAfter),
      })
    }
    return oauthError(refusedStatus, 'invalid_grant', outcome.description)
  }

  return [
    route(ctx, 'post', '/auth/login', async ({ request }) => {
      const binding = await tokenRequestBinding(ctx, request)
      if (binding instanceof Response) return binding
      const body = await readJsonObject(request, maxBodyBytes)
      if (!body.ok) return body.response
      const email = stringField(body.value, 'email', 320)
      if (!email.ok) return email.response
      const password = stringField(body.value, 'password', 1024)
      if (!password.ok) return password.response
      const user = ctx.options.users.find(
        (candidate) => candidate.email === email.value && candidate.password === password.value,
      )
      if (!user) {
        ctx.audit({ type: 'login_failed', detail: email.value })
        return oauthError(401, 'invalid_credentials', 'The email or password is wrong')
      }
      const session = await issueSession(ctx, user, binding.jkt)
      if (!refreshTokenCookie)
        return withNonce(
          ctx,
          HttpResponse.json(session, { headers: { 'Cache-Control': 'no-store' } }),
        )
      const { refreshToken, ...rest } = session
      return withNonce(
        ctx,
        HttpResponse.json(rest, {
          headers: {
            'Cache-Control': 'no-store',
            'Set-Cookie': cookieHeader(refreshToken, ctx.options.refreshTokenTtl),
          },
        }),
      )
    }),

    route(ctx, 'post', '/auth/refresh', async ({ request, cookies }) => {
      const binding = await tokenRequestBinding(ctx, request)
      if (binding instanceof Response) return binding
      let token: string | undefined
      const fromCookie = refreshTokenCookie ? cookies[REFRESH_COOKIE] : undefined
      if (fromCookie) token = fromCookie
      else {
        const body = await readJsonObject(request, maxBodyBytes)
        if (!body.ok) return body.response
        const field = stringField(body.value, 'refreshToken')
        if (!field.ok) return field.response
        token = field.value
      }
      const outcome = await exchange(token, 401, binding.jkt)
      if (outcome instanceof Response) return withNonce(ctx, outcome)
      const { accessToken, refreshToken, expiresIn } = outcome
      const tokenType = outcome.jkt ? { tokenType: 'DPoP' } : {}
      if (!refreshTokenCookie) {
        return withNonce(
          ctx,
          HttpResponse.json(
            { accessToken, refreshToken, expiresIn, ...tokenType },
            { headers: { 'Cache-Control': 'no-store' } },
          ),
        )
      }
      const headers: Record<string, string> = { 'Cache-Control': 'no-store' }
      if (refreshToken)
        headers['Set-Cookie'] = cookieHeader(refreshToken, ctx.options.refreshTokenTtl)
      return withNonce(
        ctx,
        HttpResponse.json({ accessToken, expiresIn, ...tokenType }, { headers }),
      )
    }),

    route(ctx, 'post', '/oauth/token', async ({ request }) => {
      const binding = await tokenRequestBinding(ctx, request)
      if (binding instanceof Response) return binding
      const form = await readForm(request, maxBodyBytes)
      if (!form.ok) return form.response
      const grantType = form.value.get('grant_type')
      if (grantType !== 'refresh_token') {
        return oauthError(
          400,
          'unsupported_grant_type',
          'Only grant_type=refresh_token is supported',
        )
      }
      const token = form.value.get('refresh_token')
      if (!token) return badRequest('The "refresh_token" parameter is required')
      // RFC 6749 section 5.2: a refused grant is a 400
      const outcome = await exchange(token, 400, binding.jkt)
      if (outcome instanceof Response) return withNonce(ctx, outcome)
      return withNonce(
        ctx,
        HttpResponse.json(
          {
            access_token: outcome.accessToken,
            token_type: outcome.jkt ? 'DPoP' : 'Bearer',
            expires_in: outcome.expiresIn,
            ...(outcome.refreshToken ? { refresh_token: outcome.refreshToken } : {}),
          },
          { headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' } },
        ),
      )
    }),

    route(ctx, 'post', '/auth/logout', async ({ request, cookies }) => {
      // logout is idempotent: whatever it is given that is valid gets revoked
      let refreshToken = refreshTokenCookie ? cookies[REFRESH_COOKIE] : undefined
      if ((await request.clone().text()).length > 0) {
        const body = await readJsonObject(request, maxBodyBytes)
        if (!body.ok) return body.response
        if (body.value.refreshToken !== undefined) {
          const field = stringField(body.value, 'refreshToken')
          if (!field.ok) return field.response
          refreshToken = field.value
        }
      }
      let revoked = 0
      // a DPoP client presents its token with the DPoP scheme: revoking needs no proof of the key
      const presented = /^(?:Bearer|DPoP) (.+)$/i.exec(
        request.headers.get('authorization') ?? '',
      )?.[1]
      if (presented) {
        const access = await ctx.signer.verifyAccess(presented)
        if (access.ok) {
          ctx.sessions.denyAccessToken(access.claims.jti, access.claims.exp)
          const family = ctx.sessions.get(access.claims.sid)
          if (family && !family.revoked) {
            revokeFamily(ctx, family, 'logout')
            revoked += 1
          }
        }
      }
      if (refreshToken) {
        const verified = await ctx.signer.verifyRefresh(refreshToken)
        const family = verified.ok ? ctx.sessions.get(verified.claims.fid) : undefined
        if (family && !family.revoked) {
          revokeFamily(ctx, family, 'logout')
          revoked += 1
        }
      }
      ctx.audit({ type: 'logout', detail: revoked > 0 ? 'session revoked' : 'nothing to revoke' })
      const headers: Record<string, string> = { 'Cache-Control': 'no-store' }
      if (refreshTokenCookie) headers['Set-Cookie'] = cookieHeader(undefined, 0)
      return HttpResponse.json({ revoked: revoked > 0 }, { headers })
    }),
  ]
}
