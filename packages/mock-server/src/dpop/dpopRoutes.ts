import type { ServerContext } from '../context'
import type { AccessClaims } from '../tokens'
import { type DpopServer, withHeaders } from './dpopServer'

/**
 * A token request's DPoP proof (RFC 9449 section 5): the key to bind the tokens to,
 * `null` for a bearer request, or the refusal to answer with. Without DPoP mode
 * proofs are ignored, as a server that does not know DPoP would.
 */
export async function tokenRequestBinding(
  ctx: ServerContext,
  request: Request,
): Promise<{ jkt: string | null } | Response> {
  const dpop = ctx.dpop
  if (!dpop || (!request.headers.has('dpop') && !dpop.options.required)) return { jkt: null }
  const outcome = await dpop.check(request, 'authorization')
  if (!outcome.ok) return dpop.tokenEndpointError(outcome.error, outcome.description)
  return { jkt: outcome.jkt }
}

/** The current nonce on an answer of the token endpoints, when they require nonces. */
export function withNonce(ctx: ServerContext, response: Response): Response {
  return ctx.dpop ? withHeaders(response, ctx.dpop.nonceHeader('authorization')) : response
}

/**
 * A resource request's DPoP check (RFC 9449 section 7): a bound token needs the `DPoP`
 * scheme and a proof by its key carrying its hash; a bound token sent as Bearer, or an
 * unbound one sent as DPoP, is refused. Returns the refusal, or `null` to go on. Every
 * refusal but a nonce challenge is counted and logged, with the route and the reason.
 */
export async function resourceRequestRefusal(
  ctx: ServerContext,
  request: Request,
  scheme: string,
  token: string,
  claims: AccessClaims,
): Promise<Response | null> {
  const dpop = ctx.dpop
  if (!dpop) return null
  const refusal = await bindingRefusal(dpop, request, scheme, token, claims)
  if (!refusal || refusal.error === 'use_dpop_nonce') return refusal?.response ?? null
  ctx.counters.dpopResourceRefusals += 1
  const { pathname } = new URL(request.url)
  ctx.audit({
    type: 'dpop_refused',
    sub: claims.sub,
    detail: `${request.method} ${pathname} · 401 ${refusal.error}: ${refusal.description}`,
  })
  return refusal.response
}

type Refusal = { error: string; description: string; response: Response }

async function bindingRefusal(
  dpop: DpopServer,
  request: Request,
  scheme: string,
  token: string,
  claims: AccessClaims,
): Promise<Refusal | null> {
  const refuse = (error: string, description: string): Refusal => ({
    error,
    description,
    response: dpop.resourceError(error, description),
  })
  const jkt = claims.cnf?.jkt
  const isDpop = scheme.toLowerCase() === 'dpop'
  if (!jkt) {
    if (!dpop.options.required && !isDpop) return null
    return refuse('invalid_token', 'The access token is not bound to a DPoP key')
  }
  if (!isDpop)
    return refuse('invalid_token', 'A DPoP-bound access token was sent as a Bearer token')
  const outcome = await dpop.check(request, 'resource', token)
  if (!outcome.ok) return refuse(outcome.error, outcome.description)
  if (outcome.jkt !== jkt)
    return refuse('invalid_token', "The DPoP proof is not signed by the token's key")
  return null
}

/** The `DPoP-Nonce` every resource answer carries when resources require nonces. */
export function withResourceNonce(ctx: ServerContext, response: Response): Response {
  return ctx.dpop ? withHeaders(response, ctx.dpop.nonceHeader('resource')) : response
}
