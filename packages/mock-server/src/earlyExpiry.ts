import { decodeJwt } from 'jose'

/**
 * Access tokens expired ahead of their `exp` by `faults.expireAccessTokens()`, by `jti`.
 * The clock stays put, so `iat`, `exp` and a client's skew estimate stay true however
 * often it is used (moving the clock instead shifts every later token by the jump).
 */
export class EarlyExpiry {
  /** Tokens issued and not yet expired early: `jti` to `exp` (s). */
  readonly #live = new Map<string, number>()
  /** Tokens expired early, kept until their real `exp` passes. */
  readonly #expired = new Map<string, number>()

  /** Notes a freshly signed access token. */
  issued(token: string): void {
    const { jti, exp } = decodeJwt(token)
    if (typeof jti === 'string' && typeof exp === 'number') this.#live.set(jti, exp)
  }

  /** Expires every access token issued so far; returns how many were still valid. */
  expireAll(nowSeconds: number): number {
    let count = 0
    for (const [jti, exp] of this.#live) {
      if (exp > nowSeconds) {
        this.#expired.set(jti, exp)
        count += 1
      }
    }
    this.#live.clear()
    for (const [jti, exp] of this.#expired) if (exp <= nowSeconds) this.#expired.delete(jti)
    return count
  }

  /** Whether this token was expired early. */
  isExpired(jti: string): boolean {
    return this.#expired.has(jti)
  }

  clear(): void {
    this.#live.clear()
    this.#expired.clear()
  }
}
