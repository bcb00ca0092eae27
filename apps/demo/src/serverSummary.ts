import type { MockState, RefreshOutcome } from '../server/mockState'
import { REFRESH_OUTCOMES } from '../server/mockState'

const WORDS: Record<RefreshOutcome, string> = {
  succeeded: 'succeeded',
  rejected: 'rejected',
  'rate-limited': 'rate limited',
  'server-error': 'answered 500',
  cut: 'cut',
  'timed-out': 'timed out',
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/** What the server saw between two of its states, in one line: the card's own outcome summary. */
export function serverSummary(before: MockState, after: MockState): string {
  const delta = (pick: (state: MockState) => number) => pick(after) - pick(before)
  const calls = delta((s) => s.counts.refreshCalls)
  const outcomes = REFRESH_OUTCOMES.map((outcome) => ({
    outcome,
    n: delta((s) => s.counts.byOutcome[outcome]),
  }))
    .filter(({ n }) => n > 0)
    .map(({ outcome, n }) => `${n} ${WORDS[outcome]}`)
  const parts = [
    `${plural(calls, 'refresh call')}${outcomes.length ? ` (${outcomes.join(', ')})` : ''}`,
  ]
  const expired = delta((s) => s.counts.expiredTokenRequests)
  if (expired > 0) {
    parts.push(plural(expired, 'request with an expired token', 'requests with an expired token'))
  }
  const refused = delta((s) => s.counts.dpopRefusals)
  if (refused > 0) parts.push(plural(refused, 'DPoP refusal'))
  const challenges = delta((s) => s.counts.dpopNonceChallenges)
  if (challenges > 0) parts.push(plural(challenges, 'nonce challenge'))
  const reuse = delta((s) => s.counts.reuseDetections)
  if (reuse > 0) parts.push(plural(reuse, 'reuse detection'))
  const revoked = after.log.filter((e) => e.type === 'revoked').length
  const revokedBefore = before.log.filter((e) => e.type === 'revoked').length
  if (revoked > revokedBefore) parts.push('session revoked')
  return `Server saw: ${parts.join(', ')}`
}
