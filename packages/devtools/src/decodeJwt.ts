/** A JWT split into its decoded parts. Decoding is not verification: the signature is never checked. */
export interface DecodedJwt {
  /** The JOSE header, e.g. `{ alg: 'HS256', typ: 'JWT' }`. */
  header: Record<string, unknown>
  /** The claims. */
  payload: Record<string, unknown>
}

function decodePart(part: string): Record<string, unknown> {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/')
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4)
  const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0))
  const value: unknown = JSON.parse(new TextDecoder().decode(bytes))
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('is not a JSON object')
  }
  return value as Record<string, unknown>
}

/**
 * Decodes a JWT in the page (nothing is sent anywhere); throws an `Error` saying which part is bad.
 * @example decodeJwt(token).payload.exp
 */
export function decodeJwt(token: string): DecodedJwt {
  const parts = token.trim().split('.')
  if (parts.length !== 3) throw new Error('A JWT has three dot-separated parts')
  const [header = '', payload = ''] = parts
  try {
    return { header: decodePart(header), payload: decodePart(payload) }
  } catch (error) {
    throw new Error(`The token could not be decoded: ${(error as Error).message}`)
  }
}
