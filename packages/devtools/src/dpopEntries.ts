import type { DpopProofClaims } from '@retoken/core'
import { formatClock } from './formatTime'

/** A DPoP proof the client signed: its claims and key thumbprint (the event never carries the signature). */
export interface DpopProofEntry {
  kind: 'dpop'
  id: string
  at: number
  event: 'proof'
  jkt: string
  claims: DpopProofClaims
}

/** A `use_dpop_nonce` challenge the client answered by sending once more with the new nonce. */
export interface DpopNonceRetryEntry {
  kind: 'dpop'
  id: string
  at: number
  event: 'nonce retry'
  url: string
  status: number
  nonce: string
}

/** A DPoP row of the timeline. */
export type DpopEntry = DpopProofEntry | DpopNonceRetryEntry

type Listen = (type: string, listener: (event: Record<string, unknown>) => void) => () => void

/**
 * Listens to `dpopProof` and `dpopNonceRetry` and adds one row each. The proof row
 * keeps only the claims and the thumbprint, so an exported timeline holds no proof.
 */
export function recordDpop(
  on: Listen,
  add: (entry: DpopEntry) => void,
  nextId: () => string,
  now: () => number,
): Array<() => void> {
  return [
    on('dpopProof', (event) =>
      add({
        kind: 'dpop',
        id: nextId(),
        at: now(),
        event: 'proof',
        jkt: String(event.jkt),
        claims: { ...(event.claims as DpopProofClaims) },
      }),
    ),
    on('dpopNonceRetry', (event) =>
      add({
        kind: 'dpop',
        id: nextId(),
        at: now(),
        event: 'nonce retry',
        url: String(event.url),
        status: Number(event.status),
        nonce: String(event.nonce),
      }),
    ),
  ]
}

// ids and hashes are 22 to 43 characters of noise: their start is enough to tell them apart
const short = (value: string) => (value.length > 10 ? `${value.slice(0, 8)}…` : value)

/** One line for a DPoP row: the claims that matter to a reader, with long ids shortened. */
export function describeDpop(entry: DpopEntry): string {
  if (entry.event === 'nonce retry') {
    return `DPoP nonce retry · ${entry.url} answered ${entry.status} use_dpop_nonce · sent again with nonce ${entry.nonce}`
  }
  const { htm, htu, iat, nonce, jti, ath } = entry.claims
  const parts = [
    `DPoP proof · ${htm} ${htu}`,
    `iat ${formatClock(iat * 1000)}`,
    `nonce ${nonce ?? 'none'}`,
    `jti ${short(jti)}`,
    ...(ath ? [`ath ${short(ath)}`] : []),
    `key ${short(entry.jkt)}`,
  ]
  return parts.join(' · ')
}
