import { HttpResponse } from 'msw'
import type { ServerClock } from '../clock'
import type { AuthServerCounters } from '../types'
import { NonceStore } from './nonceStore'
import { ProofReplayCache } from './proofReplayCache'
import { type ProofOutcome, verifyDpopProof } from './verifyProof'

/** Options of the mock server's DPoP mode (RFC 9449); every one has a default. */
export interface DpopServerOptions {
  /** Refuse token requests that carry no proof, so every session is bound to a key. @default false */
  required: boolean
  /** Where proofs must carry a server nonce. @default { authorization: false, resource: false } */
  nonce: { authorization: boolean; resource: boolean }
  /** Accepted proof algorithms. @default ['ES256', 'ES384', 'EdDSA', 'RS256', 'PS256'] */
  algorithms: string[]
  /** How far a proof's `iat` may be from the server's clock, seconds. @default 60 */
  iatWindowSeconds: number
  /** How long a nonce is handed out before a new one replaces it, seconds. @default 300 */
  nonceTtlSeconds: number
}

/** The defaults of {@link DpopServerOptions}. */
export const DPOP_DEFAULTS: DpopServerOptions = {
  required: false,
  nonce: { authorization: false, resource: false },
  algorithms: ['ES256', 'ES384', 'EdDSA', 'RS256', 'PS256'],
  iatWindowSeconds: 60,
  nonceTtlSeconds: 300,
}

/** Which side of the server a request reached: the token endpoints or a protected resource. */
export type DpopSide = 'authorization' | 'resource'

/** The mock server's DPoP checks, nonces and faults; one per server instance. */
export class DpopServer {
  readonly options: DpopServerOptions
  readonly nonces: NonceStore
  readonly #replay = new ProofReplayCache()
  readonly #clock: ServerClock
  readonly #counters: AuthServerCounters
  #rejections = 0

  constructor(options: DpopServerOptions, clock: ServerClock, counters: AuthServerCounters) {
    this.options = options
    this.#clock = clock
    this.#counters = counters
    this.nonces = new NonceStore(options.nonceTtlSeconds, () => clock.now())
  }

  /** Checks the proof of a request; `accessToken` makes it a resource request (`ath`). */
  async check(request: Request, side: DpopSide, accessToken?: string): Promise<ProofOutcome> {
    const { algorithms, iatWindowSeconds, nonce } = this.options
    const nowSeconds = this.#clock.seconds()
    let outcome: ProofOutcome
    if (this.#rejections > 0) {
      this.#rejections -= 1
      outcome = { ok: false, error: 'invalid_dpop_proof', description: 'Injected fault: bad proof' }
    } else {
      outcome = await verifyDpopProof(request.headers.get('dpop'), {
        method: request.method,
        url: request.url,
        accessToken,
        nowSeconds,
        algorithms,
        iatWindowSeconds,
        nonce: nonce[side] ? (value) => this.nonces.accepts(value) : undefined,
        remember: (jti, htu, iat) =>
          this.#replay.remember(jti, htu, iat, nowSeconds, iatWindowSeconds),
      })
    }
    if (!outcome.ok) {
      if (outcome.error === 'use_dpop_nonce') this.#counters.dpopNonceChallenges += 1
      else this.#counters.dpopProofRejections += 1
    }
    return outcome
  }

  /** The `DPoP-Nonce` header every answer on a side that requires nonces carries. */
  nonceHeader(side: DpopSide): Record<string, string> {
    return this.options.nonce[side] ? { 'DPoP-Nonce': this.nonces.current() } : {}
  }

  /** A token endpoint's refusal (RFC 9449 section 5): 400 with the OAuth error shape. */
  tokenEndpointError(error: string, description: string): Response {
    return HttpResponse.json(
      { error, error_description: description },
      {
        status: 400,
        headers: { 'Cache-Control': 'no-store', ...this.nonceHeader('authorization') },
      },
    )
  }

  /** A resource's refusal (RFC 9449 section 7.1): 401 with a `DPoP` challenge. */
  resourceError(error: string, description: string): Response {
    const safe = description.replace(/["\\]/g, "'")
    const algs = this.options.algorithms.join(' ')
    return HttpResponse.json(
      { error, error_description: description },
      {
        status: 401,
        headers: {
          'Cache-Control': 'no-store',
          'WWW-Authenticate': `DPoP error="${error}", error_description="${safe}", algs="${algs}"`,
          ...this.nonceHeader('resource'),
        },
      },
    )
  }

  /** The next `count` proofs are refused as invalid, whatever they hold. */
  rejectNextProofs(count: number): void {
    if (!Number.isInteger(count) || count < 0) throw new TypeError('count must be an integer >= 0')
    this.#rejections += count
  }

  reset(): void {
    this.#rejections = 0
    this.#replay.clear()
    this.nonces.reset()
  }
}

/** A copy of `response` with `headers` added: msw's responses may be read-only. */
export function withHeaders(response: Response, headers: Record<string, string>): Response {
  if (Object.keys(headers).length === 0) return response
  const merged = new Headers(response.headers)
  for (const [name, value] of Object.entries(headers)) merged.set(name, value)
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: merged,
  })
}
