import { HttpResponse } from 'msw'

/** A JSON error in the OAuth shape `{ error, error_description }`. */
export function oauthError(
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
) {
  return HttpResponse.json(
    { error, error_description: description },
    { status, headers: { 'Cache-Control': 'no-store', ...headers } },
  )
}

/** 400 for a body or field the server cannot accept; nothing was changed. */
export function badRequest(description: string) {
  return oauthError(400, 'invalid_request', description)
}

/** 401 with an RFC 6750 challenge; the body tells `token_expired` from `invalid_token`. */
export function invalidToken(reason: 'expired' | 'invalid', description: string) {
  // RFC 6750 section 3: error_description may not hold `"` or `\`, which would end the quoted string
  const safe = description.replace(/["\\]/g, "'")
  const challenge = `Bearer realm="retoken", error="invalid_token", error_description="${safe}"`
  return oauthError(401, reason === 'expired' ? 'token_expired' : 'invalid_token', description, {
    'WWW-Authenticate': challenge,
  })
}

/** 403 for a valid token that lacks the scope a route needs. */
export function insufficientScope(scope: string) {
  return oauthError(403, 'insufficient_scope', `This resource needs the "${scope}" scope`, {
    'WWW-Authenticate': `Bearer realm="retoken", error="insufficient_scope", scope="${scope}"`,
  })
}
