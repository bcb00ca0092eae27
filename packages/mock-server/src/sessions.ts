/** One refresh-token family: every token rotated from one login. */
export interface TokenFamily {
  id: string
  sub: string
  /** Absolute expiry in ms, fixed at login: rotation never extends it. */
  expiresAt: number
  /** The one refresh token of the family that may be used now. */
  currentJti: string
  /** The token spent by the latest rotation: the only one a reuse grace interval forgives. */
  previousJti: string | null
  /** Spent refresh tokens and when they were spent (ms). */
  spent: Map<string, number>
  revoked: boolean
  /** DPoP: the thumbprint of the key the family is bound to; its refresh tokens need a proof by it. */
  jkt?: string | null
}

/** Where a server keeps its sessions between page loads (the demo uses sessionStorage). */
export interface SessionPersistence {
  load(): string | null
  save(snapshot: string): void
}

/** Server-side session state: refresh-token families and denied access tokens. */
export class SessionStore {
  readonly #families = new Map<string, TokenFamily>()
  /** Access tokens denied by logout, by `jti`, until they expire (s). */
  readonly #deniedAccess = new Map<string, number>()
  readonly #persistence: SessionPersistence | null

  constructor(persistence: SessionPersistence | null = null) {
    this.#persistence = persistence
    this.#load()
  }

  create(sub: string, expiresAt: number, jkt: string | null = null): TokenFamily {
    const family: TokenFamily = {
      id: crypto.randomUUID(),
      sub,
      expiresAt,
      currentJti: crypto.randomUUID(),
      previousJti: null,
      spent: new Map(),
      revoked: false,
      jkt,
    }
    this.#families.set(family.id, family)
    this.#save()
    return family
  }

  get(id: string): TokenFamily | undefined {
    return this.#families.get(id)
  }

  /** Spends the current refresh token and returns the jti of its successor. */
  rotate(family: TokenFamily, now: number): string {
    family.spent.set(family.currentJti, now)
    family.previousJti = family.currentJti
    family.currentJti = crypto.randomUUID()
    this.#save()
    return family.currentJti
  }

  isActive(id: string): boolean {
    const family = this.#families.get(id)
    return family !== undefined && !family.revoked
  }

  /** Revokes a family; returns false if it already was. */
  revoke(family: TokenFamily): boolean {
    if (family.revoked) return false
    family.revoked = true
    this.#save()
    return true
  }

  /** Families not yet revoked. */
  active(): TokenFamily[] {
    return [...this.#families.values()].filter((family) => !family.revoked)
  }

  denyAccessToken(jti: string, exp: number): void {
    this.#deniedAccess.set(jti, exp)
    this.#save()
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
    this.#save()
  }

  #save(): void {
    if (!this.#persistence) return
    const families = [...this.#families.values()].map((family) => ({
      ...family,
      spent: [...family.spent],
    }))
    this.#persistence.save(JSON.stringify({ families, denied: [...this.#deniedAccess] }))
  }

  #load(): void {
    try {
      const raw = this.#persistence?.load()
      if (!raw) return
      const { families, denied } = JSON.parse(raw) as {
        families: Array<Omit<TokenFamily, 'spent'> & { spent: Array<[string, number]> }>
        denied: Array<[string, number]>
      }
      for (const family of families) {
        this.#families.set(family.id, {
          ...family,
          previousJti: family.previousJti ?? null,
          spent: new Map(family.spent),
        })
      }
      for (const [jti, exp] of denied) this.#deniedAccess.set(jti, exp)
    } catch {
      // unreadable saved state: start empty, as a restarted server would
      this.#families.clear()
      this.#deniedAccess.clear()
    }
  }
}
