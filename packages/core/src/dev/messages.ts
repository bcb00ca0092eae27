import type { InvalidTokenReason } from '../errors/InvalidTokenError'

// The full texts behind the short codes production builds put in messages.

const TOKEN: Record<InvalidTokenReason, string> = {
  'response-not-object': 'token response is not an object',
  'no-access-token': 'token response has no `accessToken` string',
  'bad-expires-in': '`expiresIn` must be a positive number of seconds',
  'no-expiry': 'JWT has no `exp` claim and no `expiresIn` was given',
  'bad-refresh-token': '`refreshToken` must be a non-empty string when present',
  'not-a-string': 'access token must be a non-empty string',
  'not-a-jwt': 'expected a JWT with 3 segments',
  undecodable: 'payload cannot be decoded',
  'payload-not-object': 'payload is not a JSON object',
  'bad-exp': '`exp` claim is not a number',
  'bad-iat': '`iat` claim is not a number',
  'bad-token-type': "`tokenType` must be 'Bearer', or 'DPoP' with createAuth({ dpop: dpop() })",
}

/** What is wrong with a token, in words; `detail` adds what was found. */
export function explainToken(reason: InvalidTokenReason, detail?: unknown): string {
  if (reason === 'not-a-jwt') return `${TOKEN[reason]}, got ${String(detail)}`
  // jwt-decode's messages name the part ("Invalid token specified: invalid base64 for part #2")
  if (reason === 'undecodable' && detail instanceof Error) {
    return detail.message.replace(/^Invalid token specified: /, '')
  }
  return TOKEN[reason]
}

const OPTIONS: Record<string, string> = {
  auth: 'pass the object createAuth() or createSession() returned',
  instance: 'attach() needs an Axios instance',
  allowedOrigins: 'there is no page origin here: list the origins that get the token',
}

/** What to do about an option refused outside the development checks. */
export const explainOption = (option: string): string => OPTIONS[option] ?? ''
