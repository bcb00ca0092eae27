/** One refresh-token family: every token rotated from one login. */
export interface TokenFamily {
  id: string
  sub: string
  /** Absolute expiry in ms, fixed at login: rotation never extends it. */
  expiresAt: number
  /** The one refresh token of the family that may be used now. */
  currentJti: string
  /** Spent refresh tokens and when they were spent (ms). */
  spent: Map<string, number>
  revoked: boolean
}

/** Server-side session state: refresh-token families and denied access tokens. */
export class SessionStore {
  readonly #families = new Map<string, TokenFamily>()
  /** Access tokens denied by logout, by `jti`, until they expire (s). */
  readonly #deniedAccess = new Map<string, number>()

  create(sub: string, expiresAt: number): TokenFamily {
    const family: TokenFamily = {
      id: crypto.randomUUID(),
      sub,
      expiresAt,
      currentJti: crypto.randomUUID(),
      spent: new Map(),
      revoked: false,
    }
    this.#families.set(family.id, family)
    return family
  }

  get(id: string): TokenFamily | undefined {
    return this.#families.get(id)
  }

  /** Spends the current refresh token and returns the jti of its successor. */
  rotate(family: TokenFamily, now: number): string {
    family.spent.set(family.currentJti, now)
    family.currentJti = crypto.randomUUID()
    return family.currentJti
  }

  isActive(id: string): boolean {
    const family = this.#families.get(id)
    return family !== undefined && !family.revoked
  }

  /** Families not yet revoked. */
  active(): TokenFamily[] {
    return [...this.#families.values()].filter((family) => !family.revoked)
  }

  denyAccessToken(jti: string, exp: number): void {
    this.#deniedAccess.set(jti, exp)
  }

  isAccessTokenDenied(jti: string, nowSeconds: number): boolean {
    const until = this.#deniedAccess.get(jti)
    if (until === undefined) return false
    if (until <= nowSeconds) this.#deniedAccess.delete(jti)
    return until > nowSeconds
  }

  clear(): void {
    this.#families.clear()
    this.#deniedAccess.clear()
  }
}
