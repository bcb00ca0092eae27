import { InvalidTokenError as JwtDecodeError, jwtDecode } from 'jwt-decode'
import { InvalidTokenError } from '../errors/InvalidTokenError'
import type { AccessTokenClaims } from './types'

/**
 * Decodes a JWT's payload without verifying it (verification is the server's job;
 * the client only needs `exp` and `iat` to schedule renewal) and checks that what
 * retoken relies on is there.
 */
export function decodeAccessToken(token: unknown): AccessTokenClaims {
  if (typeof token !== 'string' || token.length === 0) {
    throw new InvalidTokenError('access token must be a non-empty string')
  }
  const segments = token.split('.')
  if (segments.length !== 3) {
    throw new InvalidTokenError(`expected a JWT with 3 segments, got ${segments.length}`)
  }
  let payload: unknown
  try {
    payload = jwtDecode(token)
  } catch (error) {
    // jwt-decode's messages name the part ("Invalid token specified: invalid base64 for part #2")
    const reason = error instanceof JwtDecodeError ? error.message : 'payload cannot be decoded'
    throw new InvalidTokenError(reason.replace(/^Invalid token specified: /, ''), { cause: error })
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new InvalidTokenError('payload is not a JSON object')
  }
  const claims = payload as AccessTokenClaims
  if (claims.exp !== undefined && !isFiniteNumber(claims.exp)) {
    throw new InvalidTokenError('`exp` claim is not a number')
  }
  if (claims.iat !== undefined && !isFiniteNumber(claims.iat)) {
    throw new InvalidTokenError('`iat` claim is not a number')
  }
  return claims
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}
