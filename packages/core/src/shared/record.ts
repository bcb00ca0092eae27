import type { StoredSession } from '../engine/types'
import { fingerprint } from '../tabs/fingerprint'
import type { SharedRecord } from './types'

/** How long a spent refresh token stays in the ledger: longer than any process sleeps between requests. */
export const SPENT_TTL_MS = 24 * 60 * 60 * 1000
/** The ledger keeps at most this many entries, newest first. */
const SPENT_MAX = 64

/** The ledger without entries older than the TTL, capped in size. */
export function pruneSpent(
  spent: Readonly<Record<string, number>>,
  now: number,
): Record<string, number> {
  const kept = Object.entries(spent)
    .filter(([, at]) => typeof at === 'number' && now - at < SPENT_TTL_MS)
    .sort((a, b) => b[1] - a[1])
    .slice(0, SPENT_MAX)
  return Object.fromEntries(kept)
}

/** Whether the ledger says this refresh token was spent already. */
export const isSpent = (record: SharedRecord | null, refreshToken: string | null): boolean =>
  refreshToken !== null && record !== null && fingerprint(refreshToken) in record.spent

/** The record that follows `base` with `change`. */
export function nextRecord(
  base: SharedRecord | null,
  change: SharedRecord['change'],
  session: StoredSession | null,
  now: number,
  extra: Partial<Pick<SharedRecord, 'spent' | 'claim'>> = {},
): SharedRecord {
  return {
    version: (base?.version ?? 0) + 1,
    change,
    session,
    spent: extra.spent ?? pruneSpent(base?.spent ?? {}, now),
    claim: extra.claim ?? null,
  }
}

/**
 * Checks what an adapter read back: a record is an object with a positive integer
 * version. Anything else (a value another program wrote, a corrupt file) reads as
 * nothing stored at all.
 */
export function parseRecord(value: unknown): SharedRecord | null {
  if (typeof value !== 'object' || value === null) return null
  const record = value as Partial<SharedRecord>
  if (!Number.isInteger(record.version) || (record.version as number) < 1) return null
  const changes = ['login', 'refresh', 'logout', 'claim']
  if (!changes.includes(record.change as string)) return null
  const session = typeof record.session === 'object' ? (record.session ?? null) : null
  const spent = typeof record.spent === 'object' && record.spent !== null ? record.spent : {}
  const claim =
    typeof record.claim === 'object' &&
    record.claim !== null &&
    typeof record.claim.until === 'number' &&
    typeof record.claim.owner === 'string'
      ? record.claim
      : null
  return { version: record.version as number, change: record.change!, session, spent, claim }
}

/** A random id for a process (of an `auth`), as claims and locks name their owner. */
export function randomId(): string {
  const bytes = new Uint8Array(12)
  globalThis.crypto.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}
