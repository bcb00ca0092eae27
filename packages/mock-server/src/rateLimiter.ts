/** A sliding-window limiter keyed by session; answers how long to wait when over the limit. */
export class RateLimiter {
  readonly #hits = new Map<string, number[]>()
  readonly #limit: number
  readonly #windowMs: number

  constructor(limit: number, windowSeconds: number) {
    this.#limit = limit
    this.#windowMs = windowSeconds * 1000
  }

  /** Records a hit; returns seconds to wait (`Retry-After`) when over the limit, else 0. */
  hit(key: string, now: number): number {
    const recent = (this.#hits.get(key) ?? []).filter((at) => at > now - this.#windowMs)
    if (recent.length >= this.#limit) {
      this.#hits.set(key, recent)
      return Math.max(1, Math.ceil(((recent[0] ?? now) + this.#windowMs - now) / 1000))
    }
    recent.push(now)
    this.#hits.set(key, recent)
    return 0
  }

  clear(): void {
    this.#hits.clear()
  }
}
