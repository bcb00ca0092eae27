/** The server's clock: an injected `now()` plus an offset that tests move to simulate skew. */
export class ServerClock {
  #offsetSeconds: number
  readonly #initialOffset: number
  readonly #now: () => number

  constructor(now: () => number, offsetSeconds: number) {
    this.#now = now
    this.#offsetSeconds = offsetSeconds
    this.#initialOffset = offsetSeconds
  }

  /** Server time in ms. */
  now(): number {
    return this.#now() + this.#offsetSeconds * 1000
  }

  /** Server time in whole seconds, as JWT claims use. */
  seconds(): number {
    return Math.floor(this.now() / 1000)
  }

  setOffset(seconds: number): void {
    this.#offsetSeconds = seconds
  }

  reset(): void {
    this.#offsetSeconds = this.#initialOffset
  }
}
