/**
 * The server's DPoP nonces (RFC 9449 section 8): one current nonce, replaced after its
 * lifetime or on demand, with the one before still accepted so a client that has not
 * seen the new one yet is not refused. In churn mode (a fault) no nonce is ever accepted
 * and every answer brings a new one: the server that keeps asking.
 */
export class NonceStore {
  #current = ''
  #previous: string | null = null
  #issuedAt = 0
  #churn = false
  readonly #ttlMs: number
  readonly #now: () => number

  constructor(ttlSeconds: number, now: () => number) {
    this.#ttlMs = ttlSeconds * 1000
    this.#now = now
    this.rotate()
  }

  /** The nonce to hand out now, replaced first when it has lived out its lifetime. */
  current(): string {
    if (this.#churn || this.#now() - this.#issuedAt >= this.#ttlMs) this.rotate()
    return this.#current
  }

  /** Whether a proof's `nonce` claim is accepted. */
  accepts(value: unknown): boolean {
    if (this.#churn || typeof value !== 'string') return false
    this.current()
    return value === this.#current || value === this.#previous
  }

  /** Issues a new nonce; the one it replaces stays accepted until the next rotation. */
  rotate(): void {
    this.#previous = this.#current || null
    this.#current = crypto.randomUUID()
    this.#issuedAt = this.#now()
  }

  /** Turns churn mode on or off. */
  setChurn(on: boolean): void {
    this.#churn = on
  }

  reset(): void {
    this.#churn = false
    this.#current = ''
    this.rotate()
    this.#previous = null
  }
}
