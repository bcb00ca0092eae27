import type { ServerContext } from '../context'
import type { AccessClaims } from '../tokens'
import { withHeaders } from './dpopServer'

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
 * unbound one sent as DPoP, is refused. Returns the refusal, or `null` to go on.
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
  const jkt = claims.cnf?.jkt
  const isDpop = scheme.toLowerCase() === 'dpop'
  if (!jkt) {
    if (dpop.options.required) return invalid(ctx, 'The access token is not bound to a DPoP key')
    return isDpop ? invalid(ctx, 'The access token is not bound to a DPoP key') : null
  }
  if (!isDpop) return invalid(ctx, 'A DPoP-bound access token was sent as a Bearer token')
  const outcome = await dpop.check(request, 'resource', token)
  if (!outcome.ok) return dpop.resourceError(outcome.error, outcome.description)
  if (outcome.jkt !== jkt) return invalid(ctx, "The DPoP proof is not signed by the token's key")
  return null
}

/** The `DPoP-Nonce` every resource answer carries when resources require nonces. */
export function withResourceNonce(ctx: ServerContext, response: Response): Response {
  return ctx.dpop ? withHeaders(response, ctx.dpop.nonceHeader('resource')) : response
}

const invalid = (ctx: ServerContext, description: string): Response =>
  (ctx.dpop as NonNullable<ServerContext['dpop']>).resourceError('invalid_token', description)
