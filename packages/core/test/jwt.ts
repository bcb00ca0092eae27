// Builds well-formed (unsigned) JWTs for unit tests that only exercise decoding.
// Integration tests use the mock server's real signed tokens instead.
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

export function unsignedJwt(payload: Record<string, unknown>): string {
  return `${encode({ alg: 'HS256', typ: 'at+jwt' })}.${encode(payload)}.c2lnbmF0dXJl`
}
