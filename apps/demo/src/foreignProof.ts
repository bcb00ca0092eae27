const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
const encode = (value: unknown) => base64url(new TextEncoder().encode(JSON.stringify(value)))

/**
 * An attacker's own DPoP key: a fresh ES256 pair, unrelated to the one the session's
 * tokens are bound to. Its proofs are well formed and correctly signed, by the wrong key.
 */
export async function foreignKey() {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ])
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey)
  const header = encode({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty, crv, x, y } })
  /** A proof for one request (RFC 9449 section 4.2), with the token's hash when one is given. */
  return async (
    htm: string,
    htu: string,
    extra: { accessToken?: string | undefined; nonce?: string | undefined },
  ) => {
    const ath = extra.accessToken
      ? base64url(
          new Uint8Array(
            await crypto.subtle.digest('SHA-256', new TextEncoder().encode(extra.accessToken)),
          ),
        )
      : undefined
    const claims = {
      jti: crypto.randomUUID(),
      htm,
      htu,
      iat: Math.floor(Date.now() / 1000),
      ...(extra.nonce ? { nonce: extra.nonce } : {}),
      ...(ath ? { ath } : {}),
    }
    const input = `${header}.${encode(claims)}`
    const signature = await crypto.subtle.sign(
      { name: 'ECDSA', hash: 'SHA-256' },
      pair.privateKey,
      new TextEncoder().encode(input),
    )
    return `${input}.${base64url(new Uint8Array(signature))}`
  }
}
