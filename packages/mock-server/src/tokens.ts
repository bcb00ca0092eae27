import { base64url, errors, type JWTPayload, jwtVerify, SignJWT } from 'jose'
import type { ServerClock } from './clock'

/** JWT `typ` of access tokens (RFC 9068), so a refresh token can never pass for one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt'
/** JWT `typ` of refresh tokens. */
export const REFRESH_TOKEN_TYPE = 'rt+jwt'

/** Claims of a verified access token. */
export interface AccessClaims extends JWTPayload {
  sub: string
  jti: string
  exp: number
  iat: number
  /** The refresh-token family (session) this token was issued from. */
  sid: string
  scope: string
  name?: string
  email?: string
  /** DPoP: the thumbprint of the key this token is bound to. */
  cnf?: { jkt?: string }
}

/** Claims of a verified refresh token. */
export interface RefreshClaims extends JWTPayload {
  sub: string
  jti: string
  exp: number
  iat: number
  /** The refresh-token family. */
  fid: string
}

/** Why a token was refused: `expired` is told apart so clients can see `token_expired`. */
export type VerifyFailure = { ok: false; reason: 'expired' | 'invalid'; description: string }
export type Verified<T> = { ok: true; claims: T } | VerifyFailure

/** Signs and verifies the server's tokens as a real server would: HS256 only, `exp` required, typed. */
export class TokenSigner {
  readonly #key: Uint8Array
  readonly #clock: ServerClock

  constructor(secret: string, clock: ServerClock) {
    // a key built by jose itself: jose checks `instanceof Uint8Array`, which fails when the
    // caller's realm differs (jsdom test environments, iframes)
    this.#key = base64url.decode(base64url.encode(secret))
    this.#clock = clock
  }

  signAccess(claims: Omit<AccessClaims, 'iat' | 'exp' | 'jti'>, ttlSeconds: number) {
    const iat = this.#clock.seconds()
    return this.sign(
      { ...claims, jti: crypto.randomUUID(), iat, exp: iat + ttlSeconds },
      ACCESS_TOKEN_TYPE,
    )
  }

  signRefresh(claims: { sub: string; fid: string; jti: string }, expiresAtSeconds: number) {
    return this.sign(
      { ...claims, iat: this.#clock.seconds(), exp: expiresAtSeconds },
      REFRESH_TOKEN_TYPE,
    )
  }

  sign(claims: Record<string, unknown>, typ: string): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ }).sign(this.#key)
  }

  verifyAccess(token: string): Promise<Verified<AccessClaims>> {
    return this.#verify<AccessClaims>(token, ACCESS_TOKEN_TYPE, ['sid'])
  }

  verifyRefresh(token: string): Promise<Verified<RefreshClaims>> {
    return this.#verify<RefreshClaims>(token, REFRESH_TOKEN_TYPE, ['fid'])
  }

  async #verify<T>(token: string, typ: string, extra: string[]): Promise<Verified<T>> {
    try {
      const { payload } = await jwtVerify(token, this.#key, {
        algorithms: ['HS256'],
        typ,
        currentDate: new Date(this.#clock.now()),
        requiredClaims: ['exp', 'iat', 'jti', 'sub', ...extra],
      })
      return { ok: true, claims: payload as T }
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        return { ok: false, reason: 'expired', description: 'The token has expired' }
      }
      return { ok: false, reason: 'invalid', description: describe(error) }
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return 'The token signature is invalid'
  if (error instanceof errors.JOSEAlgNotAllowed) return 'The token algorithm is not allowed'
  if (error instanceof errors.JWTClaimValidationFailed) {
    return error.claim === 'typ'
      ? 'The token is not of the expected type'
      : `The token's "${error.claim}" claim is invalid`
  }
  return 'The token is malformed'
}
