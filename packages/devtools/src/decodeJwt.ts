/** A JWT split into its decoded parts. Decoding is not verification: the signature is never checked. */
export interface DecodedJwt {
  /** The JOSE header, e.g. `{ alg: 'HS256', typ: 'JWT' }`. */
  header: Record<string, unknown>
  /** The claims. */
  payload: Record<string, unknown>
}

function decodePart(part: string, name: 'header' | 'payload'): Record<string, unknown> {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) {
    throw new Error(`its ${name} is not base64url (only letters, digits, "-" and "_")`)
  }
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/')
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4)
  let text: string
  try {
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0))
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new Error(`its ${name} does not decode to UTF-8 text`)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new Error(`its ${name} is not JSON`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`its ${name} is JSON, but not an object`)
  }
  return value as Record<string, unknown>
}

/**
 * Decodes a JWT in the page (nothing is sent anywhere); a leading `Bearer ` (as copied from an
 * Authorization header) is accepted. Throws an `Error` saying in words what is wrong.
 * @example decodeJwt(token).payload.exp
 */
export function decodeJwt(token: string): DecodedJwt {
  const bare = token.trim().replace(/^Bearer\s+/i, '')
  const parts = bare.split('.')
  if (parts.length !== 3) {
    throw new Error(
      `Not a JWT: it must have three parts separated by dots (this has ${parts.length})`,
    )
  }
  const [header = '', payload = ''] = parts
  try {
    return { header: decodePart(header, 'header'), payload: decodePart(payload, 'payload') }
  } catch (error) {
    throw new Error(`Not a JWT that could be decoded: ${(error as Error).message}`)
  }
}
