import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose'
import { accessTokenHash } from '../src/dpop/verifyProof'

/** A client's DPoP key, made with jose, and a way to sign proofs with it (any claim can be bent). */
export async function dpopKey(alg = 'ES256') {
  const { privateKey, publicKey } = await generateKeyPair(alg)
  const jwk = await exportJWK(publicKey)
  const jkt = await calculateJwkThumbprint(jwk, 'sha256')
  const proof = async (
    method: string,
    url: string,
    options: {
      accessToken?: string
      nonce?: string
      iat?: number
      jti?: string
      typ?: string
      header?: { jwk?: JWK }
      claims?: Record<string, unknown>
    } = {},
  ) => {
    const claims: Record<string, unknown> = {
      htm: method,
      htu: url,
      jti: options.jti ?? crypto.randomUUID(),
      iat: options.iat ?? Math.floor(Date.UTC(2026, 0, 1) / 1000),
      ...(options.nonce ? { nonce: options.nonce } : {}),
      ...(options.accessToken ? { ath: await accessTokenHash(options.accessToken) } : {}),
      ...options.claims,
    }
    return new SignJWT(claims)
      .setProtectedHeader({ alg, typ: options.typ ?? 'dpop+jwt', jwk: options.header?.jwk ?? jwk })
      .sign(privateKey)
  }
  return { jwk, jkt, proof, privateKey }
}
