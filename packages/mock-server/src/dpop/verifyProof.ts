import { base64url, calculateJwkThumbprint, EmbeddedJWK, type JWK, jwtVerify } from 'jose'

/** What a DPoP proof is checked against (RFC 9449 section 4.3). */
export interface ProofExpectations {
  /** The request's method. */
  method: string
  /** The request's URL; its query and fragment are ignored, as `htu` leaves them out. */
  url: string
  /** The access token sent with a resource request: the proof must carry its hash (`ath`). */
  accessToken?: string | undefined
  /** The server's clock, seconds. */
  nowSeconds: number
  /** Accepted `alg` values: asymmetric only. */
  algorithms: readonly string[]
  /** How far `iat` may be from the server's clock, seconds. */
  iatWindowSeconds: number
  /** When nonces are required: whether the proof's `nonce` is one the server accepts now. */
  nonce?: ((value: unknown) => boolean) | undefined
  /** Records the proof's `jti` for its `htu`; `false` when it was seen before (a replay). */
  remember(jti: string, htu: string, iat: number): boolean
}

/** The outcome: the key's thumbprint (`jkt`), or why the proof is refused. */
export type ProofOutcome =
  | { ok: true; jkt: string; jwk: JWK }
  | { ok: false; error: 'invalid_dpop_proof' | 'use_dpop_nonce'; description: string }

const refuse = (description: string): ProofOutcome => ({
  ok: false,
  error: 'invalid_dpop_proof',
  description,
})

/** `htu` as RFC 9449 compares it: the URL without query and fragment, normalised. */
export function htuOf(url: string): string {
  const parsed = new URL(url)
  return `${parsed.origin}${parsed.pathname}`
}

/** `ath`: the base64url SHA-256 of the access token. */
export async function accessTokenHash(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))
  return base64url.encode(new Uint8Array(digest))
}

/**
 * Checks one `DPoP` header the way RFC 9449 section 4.3 lists it: a single JWT, `typ`
 * `dpop+jwt`, an allowed asymmetric `alg`, a public `jwk` that verifies the signature,
 * `htm` and `htu` matching the request, `iat` within the window, the nonce when one is
 * required, `ath` for resource requests, and a `jti` not seen before for this `htu`.
 */
export async function verifyDpopProof(
  header: string | null,
  expect: ProofExpectations,
): Promise<ProofOutcome> {
  if (!header) return refuse('A DPoP proof is required')
  // Headers joins repeated fields with ", ", which a JWT never contains
  if (header.includes(',')) return refuse('Exactly one DPoP header is allowed')
  let payload: Record<string, unknown>
  let jwk: JWK
  try {
    const verified = await jwtVerify(header, EmbeddedJWK, {
      typ: 'dpop+jwt',
      algorithms: [...expect.algorithms],
      currentDate: new Date(expect.nowSeconds * 1000),
    })
    payload = verified.payload
    jwk = verified.protectedHeader.jwk as JWK
  } catch (error) {
    return refuse(`The DPoP proof is invalid: ${(error as Error).message}`)
  }
  const { jti, htm, htu, iat, ath, nonce } = payload
  if (typeof jti !== 'string' || jti.length < 8) return refuse('The DPoP proof needs a unique jti')
  if (htm !== expect.method.toUpperCase()) return refuse('The DPoP proof is for another method')
  const target = htuOf(expect.url)
  if (typeof htu !== 'string' || safeHtu(htu) !== target) {
    return refuse('The DPoP proof is for another URL')
  }
  if (typeof iat !== 'number' || Math.abs(iat - expect.nowSeconds) > expect.iatWindowSeconds) {
    return refuse('The DPoP proof was not issued just now (iat)')
  }
  if (expect.nonce && !expect.nonce(nonce)) {
    return {
      ok: false,
      error: 'use_dpop_nonce',
      description: 'Authorization server requires nonce in DPoP proof',
    }
  }
  if (expect.accessToken !== undefined && ath !== (await accessTokenHash(expect.accessToken))) {
    return refuse('The DPoP proof does not carry the hash of this access token (ath)')
  }
  if (!expect.remember(jti, target, iat)) return refuse('The DPoP proof was used before (jti)')
  return { ok: true, jkt: await calculateJwkThumbprint(jwk, 'sha256'), jwk }
}

function safeHtu(value: string): string | null {
  try {
    return htuOf(value)
  } catch {
    return null
  }
}
