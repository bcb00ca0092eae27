import type { AccessTokenClaims } from '@retoken/core'

// base64url of the JSON, as JWTs encode their header and payload
const encode = (value: unknown) => {
  const json = JSON.stringify(value)
  const bytes = new TextEncoder().encode(json)
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * A well-formed, unsigned JWT with the claims you choose: enough for the client,
 * which only decodes tokens (the server is the one that verifies them). `sub`
 * defaults to `'test-user'`, `iat` to now and `exp` to now + `expiresIn` seconds.
 * @example const token = createTestToken({ sub: 'u1', role: 'admin' }, 60)
 */
export function createTestToken(claims: AccessTokenClaims = {}, expiresIn = 3600): string {
  const iat = Math.floor(Date.now() / 1000)
  const payload = { sub: 'test-user', iat, exp: iat + expiresIn, ...claims }
  return `${encode({ alg: 'none', typ: 'at+jwt' })}.${encode(payload)}.`
}
