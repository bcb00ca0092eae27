/** The `jti`s of accepted proofs per `htu`, kept as long as their `iat` could still pass. */
export class ProofReplayCache {
  readonly #seen = new Map<string, number>()

  /** Records `jti` for `htu`; `false` when it was already there. Forgets what has aged out. */
  remember(jti: string, htu: string, iat: number, nowSeconds: number, windowSeconds: number) {
    for (const [key, at] of this.#seen) {
      if (at < nowSeconds - 2 * windowSeconds) this.#seen.delete(key)
    }
    const key = `${htu} ${jti}`
    if (this.#seen.has(key)) return false
    this.#seen.set(key, iat)
    return true
  }

  clear(): void {
    this.#seen.clear()
  }
}
