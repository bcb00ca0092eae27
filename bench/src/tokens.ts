// Access tokens for the in-memory servers: well-formed JWTs (header, claims, a dummy
// signature). Clients decode them without checking signatures, as browsers do; the
// scenarios against the mock server use its real signed tokens instead.
const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')

let serial = 0

/** A JWT issued at `nowMs` that lives `ttlSeconds`. */
export function makeJwt(nowMs: number, ttlSeconds: number): string {
  const iat = Math.floor(nowMs / 1000)
  serial += 1
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: 'user_1', iat, exp: iat + ttlSeconds, jti: `t${serial}` })}.c2ln`
}

/** What a login or refresh endpoint answers. */
export interface Tokens {
  accessToken: string
  refreshToken: string
  expiresIn: number
}

/** A fresh token pair. */
export const tokenPair = (nowMs: number, ttlSeconds: number): Tokens => ({
  accessToken: makeJwt(nowMs, ttlSeconds),
  refreshToken: `refresh-${serial}`,
  expiresIn: ttlSeconds,
})
