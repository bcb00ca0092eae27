/**
 * A short, non-reversible fingerprint of a token (two 32-bit FNV-1a variants). The
 * ledger keys spent refresh tokens by it, so a spent token is never stored as itself.
 * It needs no `crypto.subtle`, which insecure origins (plain http staging) lack.
 */
export function fingerprint(token: string): string {
  let a = 0x811c9dc5
  let b = 0x9747b28c
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i)
    a = Math.imul(a ^ code, 0x01000193)
    b = Math.imul(b ^ code, 0x5bd1e995)
    b ^= b >>> 15
  }
  return (a >>> 0).toString(36) + (b >>> 0).toString(36)
}
