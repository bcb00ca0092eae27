import type { DpopProofClaims } from '../engine/types'

const encoder = new TextEncoder()

/** base64url without padding, of bytes or of a string's UTF-8. */
export function base64url(input: Uint8Array | string): string {
  const bytes = typeof input === 'string' ? encoder.encode(input) : input
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

const sha256 = async (text: string) =>
  base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text))))

/** The public part of a P-256 key as a JWK, members in the order RFC 7638 hashes them. */
export async function publicJwk(publicKey: CryptoKey): Promise<JsonWebKey> {
  const { crv, kty, x, y } = await crypto.subtle.exportKey('jwk', publicKey)
  return { crv: crv as string, kty: kty as string, x: x as string, y: y as string }
}

/** The RFC 7638 thumbprint of a public JWK: what servers put in `cnf.jkt`. */
export const thumbprintOf = (jwk: JsonWebKey): Promise<string> =>
  sha256(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }))

/** `htu`: the URL without query and fragment (RFC 9449 section 4.2). */
export function htuOf(url: string): string {
  const { origin, pathname } = new URL(url)
  return origin + pathname
}

/** What goes into one proof. */
export interface ProofClaims {
  method: string
  url: string
  /** Seconds on the server's clock. */
  iat: number
  nonce: string | undefined
  /** The access token a resource request carries, hashed into `ath`. */
  accessToken: string | undefined
}

/** Signs a fresh DPoP proof (RFC 9449 section 4.2) with an ES256 key; returns it and its claims. */
export async function signProof(
  privateKey: CryptoKey,
  jwk: JsonWebKey,
  { method, url, iat, nonce, accessToken }: ProofClaims,
): Promise<{ proof: string; claims: DpopProofClaims }> {
  const header = { typ: 'dpop+jwt', alg: 'ES256', jwk }
  const payload: DpopProofClaims = {
    jti: crypto.randomUUID(),
    htm: method.toUpperCase(),
    htu: htuOf(url),
    iat,
  }
  if (nonce !== undefined) payload.nonce = nonce
  if (accessToken !== undefined) payload.ath = await sha256(accessToken)
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`
  // WebCrypto's ECDSA signature is r || s, the form JWS ES256 wants
  const signature = await crypto.subtle.sign(
    { name: 'ECDSA', hash: 'SHA-256' },
    privateKey,
    encoder.encode(input),
  )
  return { proof: `${input}.${base64url(new Uint8Array(signature))}`, claims: payload }
}
