import type { SessionControls } from '@retoken/core'
import { useSyncExternalStore } from 'react'
import { formatRelative } from './formatTime'
import { useNow } from './useNow'

/** The live session: status, user, claims, countdowns and the estimated clock skew. */
export function SessionView({
  auth,
  tabRole,
  clock,
}: {
  auth: SessionControls
  tabRole: string
  clock: () => number
}) {
  const state = useSyncExternalStore(auth.subscribe, auth.getState, auth.getState)
  const now = useNow(clock)
  const { claims, expiresAt } = state
  const exp = typeof claims?.exp === 'number' ? claims.exp * 1000 : null
  const iat = typeof claims?.iat === 'number' ? claims.iat * 1000 : null
  // core's default margin: the smaller of 60 s and 20% of the lifetime
  const renewAt =
    expiresAt !== null && exp !== null && iat !== null
      ? expiresAt - Math.min(60_000, (exp - iat) * 0.2)
      : null
  const skew = exp !== null && expiresAt !== null ? Math.round((exp - expiresAt) / 1000) : null
  const user = claims ? String(claims.name ?? claims.email ?? claims.sub ?? 'unknown') : '—'
  return (
    <section aria-labelledby="rtdt-session">
      <h3 id="rtdt-session">Session</h3>
      <dl>
        <dt>Status</dt>
        <dd data-testid="rtdt-status">
          {state.status}
          {state.isRefreshing ? ' (refreshing…)' : ''}
        </dd>
        <dt>User</dt>
        <dd>{user}</dd>
        <dt>Expires</dt>
        <dd>
          {expiresAt === null
            ? '—'
            : `${expiresAt > now ? '' : 'expired '}${formatRelative(expiresAt, now)}`}
        </dd>
        <dt>Renews</dt>
        <dd>{renews(renewAt, expiresAt, now)}</dd>
        <dt>Clock skew</dt>
        <dd>{skew === null ? '—' : `${skew} s (server minus this clock)`}</dd>
        <dt>This tab</dt>
        <dd>{tabRole}</dd>
      </dl>
      {claims && (
        // folded: the timeline below stays in view in a short panel
        <details>
          <summary>Claims</summary>
          <figure aria-label="Decoded claims">
            <pre>{JSON.stringify(claims, null, 2)}</pre>
          </figure>
        </details>
      )}
    </section>
  )
}

/** When the token renews: a countdown, then "due" until it is renewed (by the timer or a request). */
function renews(renewAt: number | null, expiresAt: number | null, now: number): string {
  if (renewAt === null || expiresAt === null) return '—'
  if (renewAt > now) return formatRelative(renewAt, now)
  // the panel cannot tell whether a timer runs: without one, the next request renews it
  return expiresAt > now
    ? 'due: at the timer or the next request'
    : 'due: the next request renews it first'
}
