import type { RefreshResult } from '../engine/types'
import { OAuthError } from '../errors/OAuthError'
import { RefreshFailedError } from '../errors/RefreshFailedError'

/**
 * Reads a token endpoint's answer (RFC 6749 sections 5.1 and 5.2). Only `invalid_grant`
 * is thrown as an {@link OAuthError} the default classifier takes as the end of the
 * session; every other refusal (`invalid_client`, `invalid_scope`, a 5xx, a 429) is a
 * {@link RefreshFailedError} with the OAuthError as its cause: the user's grant may be
 * fine, and logging them out would not fix the server or the client's configuration.
 */
export async function readTokenResponse(
  response: Response,
  acceptsDpop: boolean,
): Promise<RefreshResult> {
  const body = (await response.json().catch(() => null)) as Record<string, unknown> | null
  if (!response.ok) throw refusal(response.status, body)
  const fail = (problem: string): never => {
    throw new RefreshFailedError(`The token endpoint's answer cannot be used: ${problem}`)
  }
  if (typeof body !== 'object' || body === null) return fail('the body is not a JSON object')
  const { access_token, token_type, expires_in, refresh_token } = body
  if (typeof access_token !== 'string' || !access_token) return fail('no access_token')
  // token_type is case-insensitive (RFC 6749 section 5.1)
  const type = typeof token_type === 'string' ? token_type.toLowerCase() : null
  if (type !== 'bearer' && !(type === 'dpop' && acceptsDpop)) {
    return fail(`token_type ${String(token_type)} is not ${acceptsDpop ? 'DPoP or ' : ''}Bearer`)
  }
  // some servers send expires_in as a string
  const expiresIn = expires_in === undefined ? undefined : Number(expires_in)
  if (expiresIn !== undefined && !(expiresIn > 0 && expiresIn < Infinity)) {
    return fail('expires_in is not a positive number')
  }
  if (refresh_token !== undefined && (typeof refresh_token !== 'string' || !refresh_token)) {
    return fail('refresh_token is not a string')
  }
  return {
    accessToken: access_token,
    tokenType: type === 'dpop' ? 'DPoP' : 'Bearer',
    // absent: the server did not rotate, and the current refresh token stays
    refreshToken: refresh_token,
    expiresIn,
  }
}

function refusal(status: number, body: Record<string, unknown> | null): Error {
  const text = (value: unknown) => (typeof value === 'string' ? value : null)
  const error = new OAuthError(status, text(body?.error), text(body?.error_description))
  if (error.code === 'invalid_grant') return error
  const transient = status >= 500 || status === 429
  const hint = transient
    ? 'the session is kept, the next request tries again'
    : 'check the client id, its authentication and the scope; the session is kept'
  return new RefreshFailedError(`${error.message}: ${hint}`, { cause: error })
}
