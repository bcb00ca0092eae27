import { jwtDecode } from 'jwt-decode'
import { InvalidTokenError } from '../errors/InvalidTokenError'
import type { AccessTokenClaims } from './types'

/**
 * Decodes a JWT's payload without verifying it (verification is the server's job;
 * the client only needs `exp` and `iat` to schedule renewal) and checks that what
 * retoken relies on is there.
 */
export function decodeAccessToken(token: unknown): AccessTokenClaims {
  if (typeof token !== 'string' || token.length === 0) {
    throw new InvalidTokenError('not-a-string')
  }
  const segments = token.split('.')
  if (segments.length !== 3) {
    throw new InvalidTokenError('not-a-jwt', { detail: segments.length })
  }
  let payload: unknown
  try {
    payload = jwtDecode(token)
  } catch (error) {
    throw new InvalidTokenError('undecodable', { cause: error, detail: error })
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new InvalidTokenError('payload-not-object')
  }
  const claims = payload as AccessTokenClaims
  if (claims.exp !== undefined && !isFiniteNumber(claims.exp)) {
    throw new InvalidTokenError('bad-exp')
  }
  if (claims.iat !== undefined && !isFiniteNumber(claims.iat)) {
    throw new InvalidTokenError('bad-iat')
  }
  return claims
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}
