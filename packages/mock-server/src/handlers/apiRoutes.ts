import { delay, type HttpHandler, HttpResponse } from 'msw'
import { publicUser, route, type ServerContext } from '../context'
import { resourceRequestRefusal, withResourceNonce } from '../dpop/dpopRoutes'
import { insufficientScope, invalidToken } from '../httpErrors'
import type { AccessClaims } from '../tokens'

const BEARER = /^(Bearer) ([\w-]+\.[\w-]+\.[\w-]*)$/i
const BEARER_OR_DPOP = /^(Bearer|DPoP) ([\w-]+\.[\w-]+\.[\w-]*)$/i

type Guarded = (claims: AccessClaims, request: Request) => Response | Promise<Response>

/** `GET /auth/me` and the protected resources under `/api/`, plus an open echo at `/public/echo`. */
export function apiRoutes(ctx: ServerContext): HttpHandler[] {
  /** Verifies the bearer token as a resource server would, then checks the scope. */
  const guarded =
    (scope: string | null, resolve: Guarded) =>
    async ({ request }: { request: Request }) =>
      withResourceNonce(ctx, await check(scope, resolve, request))

  const check = async (scope: string | null, resolve: Guarded, request: Request) => {
    const header = request.headers.get('authorization')
    if (!header) return invalidToken('invalid', 'No access token was sent')
    // the DPoP scheme (RFC 9449 section 7.1) only in DPoP mode
    const match = (ctx.dpop ? BEARER_OR_DPOP : BEARER).exec(header)
    const [, scheme = '', token] = match ?? []
    if (!token) return invalidToken('invalid', 'The access token is malformed')
    const verified = await ctx.signer.verifyAccess(token)
    if (!verified.ok) {
      if (verified.reason === 'expired') ctx.counters.expiredTokenRequests += 1
      return invalidToken(verified.reason, verified.description)
    }
    const { claims } = verified
    if (ctx.earlyExpiry.isExpired(claims.jti)) {
      ctx.counters.expiredTokenRequests += 1
      return invalidToken('expired', 'The token has expired')
    }
    if (
      ctx.sessions.isAccessTokenDenied(claims.jti, ctx.clock.seconds()) ||
      !ctx.sessions.isActive(claims.sid)
    ) {
      return invalidToken('invalid', 'The access token has been revoked')
    }
    const refusal = await resourceRequestRefusal(ctx, request, scheme, token, claims)
    if (refusal) return refusal
    if (scope && !claims.scope.split(' ').includes(scope)) return insufficientScope(scope)
    return resolve(claims, request)
  }

  const userOf = (claims: AccessClaims) => ctx.options.users.find((user) => user.id === claims.sub)

  return [
    route(
      ctx,
      'get',
      '/auth/me',
      guarded(null, (claims) => {
        const user = userOf(claims)
        return user
          ? HttpResponse.json(publicUser(user))
          : invalidToken('invalid', 'The user no longer exists')
      }),
    ),
    route(
      ctx,
      'get',
      '/api/orders',
      guarded('orders:read', (claims) =>
        HttpResponse.json({
          owner: claims.sub,
          orders: [
            { id: 'ord_1001', item: 'Mechanical keyboard', total: 129 },
            { id: 'ord_1002', item: 'USB-C hub', total: 49 },
          ],
        }),
      ),
    ),
    route(
      ctx,
      'get',
      '/api/slow',
      // the token is checked on arrival, as a real server would, before the slow work
      guarded(null, async () => {
        await delay(ctx.options.slowRouteDelayMs)
        return HttpResponse.json({ done: true })
      }),
    ),
    route(
      ctx,
      'post',
      '/api/upload',
      guarded(null, (_, request) => echo(request)),
    ),
    route(
      ctx,
      'get',
      '/api/echo',
      guarded(null, (_, request) => echo(request)),
    ),
    route(
      ctx,
      'get',
      '/api/admin',
      guarded('admin', () => HttpResponse.json({ secret: 42 })),
    ),
    route(ctx, 'get', '/public/echo', ({ request }) => echo(request)),
  ]
}

/** Answers with what arrived, so clients can check what a (retried) request carried. */
async function echo(request: Request) {
  const url = new URL(request.url)
  const text = request.method === 'GET' ? '' : await request.text()
  let body: unknown = text || null
  try {
    body = text ? JSON.parse(text) : null
  } catch {
    // not JSON: echo the text
  }
  return HttpResponse.json({
    method: request.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: Object.fromEntries(request.headers),
    body,
  })
}
