import { useAuth } from '@retoken/react'
import type { LogEntry, RefreshOutcome } from '../../server/mockState'
import { REFRESH_OUTCOMES } from '../../server/mockState'
import { mockControl, settings } from '../auth'
import { showNotice } from '../notices'
import { formatClock, pollServer, useServerState } from '../serverState'

const LABELS: Record<Exclude<LogEntry['type'], 'refresh'>, string> = {
  login: 'login',
  login_failed: 'login failed',
  reuse_detected: 'reuse detected',
  revoked: 'session revoked',
  logout: 'logout',
  expire: 'tokens expired',
  dpop_refused: 'DPoP refused',
}

/** How each refresh outcome is named, in the counters and in the log alike. */
export const OUTCOME_LABELS: Record<RefreshOutcome, string> = {
  succeeded: 'succeeded',
  rejected: 'rejected',
  'rate-limited': 'rate limited',
  'server-error': '500 error',
  cut: 'cut (network error)',
  'timed-out': 'timed out',
}

const label = (entry: LogEntry) =>
  entry.type === 'refresh'
    ? `refresh · ${OUTCOME_LABELS[entry.outcome ?? 'succeeded']}`
    : LABELS[entry.type]

const bad = (entry: LogEntry) =>
  entry.type === 'reuse_detected' ||
  entry.type === 'revoked' ||
  entry.type === 'login_failed' ||
  entry.type === 'dpop_refused' ||
  (entry.type === 'refresh' && entry.outcome !== 'succeeded')

/** Rows kept on the page; the counters always count them all. */
const SHOWN = 200

/** The server's side of the story: one set of counts and the log they count, newest first. */
export function AuditLog() {
  const { state, unreachable } = useServerState()
  const { logout, status } = useAuth()
  const counts = state?.counts
  const log = state?.log ?? []
  const entries = [...log].reverse().slice(0, SHOWN)
  const reset = async () => {
    // a session the server forgets must end here too, or the page greets a ghost
    if (status === 'authenticated') await logout().catch(() => {})
    await mockControl('reset')
    showNotice('The server was reset: every session, count and log line is gone.')
    await pollServer()
  }
  return (
    <section className="card audit" aria-labelledby="audit-title">
      <div className="card-head">
        <h2 id="audit-title">What the server saw</h2>
        <button type="button" className="small" onClick={reset}>
          Reset server
        </button>
      </div>
      {unreachable && (
        <p className="error">
          The mock server does not answer: run the demo with <code>npm start</code>.
        </p>
      )}
      <dl className="counters" aria-label="Server counts">
        <div className="total">
          <dt>Refresh calls</dt>
          <dd data-testid="refresh-calls">{counts?.refreshCalls ?? '–'}</dd>
        </div>
        {REFRESH_OUTCOMES.map((outcome) => (
          <div key={outcome}>
            <dt>{OUTCOME_LABELS[outcome]}</dt>
            <dd data-testid={`count-${outcome}`}>{counts?.byOutcome[outcome] ?? '–'}</dd>
          </div>
        ))}
        <div>
          <dt>Reuse detections</dt>
          <dd data-testid="count-reuse">{counts?.reuseDetections ?? '–'}</dd>
        </div>
        <div>
          <dt>Expired-token requests</dt>
          <dd data-testid="count-expired">{counts?.expiredTokenRequests ?? '–'}</dd>
        </div>
        {settings.dpop && (
          <>
            <div>
              <dt>DPoP refusals</dt>
              <dd data-testid="count-dpop-refused">{counts?.dpopRefusals ?? '–'}</dd>
            </div>
            <div>
              <dt>Nonce challenges</dt>
              <dd data-testid="count-dpop-nonce">{counts?.dpopNonceChallenges ?? '–'}</dd>
            </div>
          </>
        )}
      </dl>
      <p className="hint">
        Newest first, times on the server's clock (it never moves: “expire” marks tokens instead).
        Every server's calls (body, cookie, DPoP) are counted here.
      </p>
      <ol className="log" data-testid="audit-log" aria-label="Server log, newest first">
        {entries.map((entry) => (
          <li
            key={entry.seq}
            data-type={entry.type}
            data-outcome={entry.outcome}
            className={bad(entry) ? 'log-bad' : entry.type === 'refresh' ? 'log-good' : undefined}
          >
            <time dateTime={new Date(entry.at).toISOString()}>{formatClock(entry.at)}</time>{' '}
            <strong>{label(entry)}</strong>
            {entry.server !== 'body' && <span className="detail"> · {entry.server} server</span>}
            {entry.detail && <span className="detail"> · {entry.detail}</span>}
          </li>
        ))}
        {entries.length === 0 && (
          <li className="empty">
            {status === 'authenticated'
              ? 'Nothing since the last reset.'
              : 'Nothing yet: log in to start.'}
          </li>
        )}
      </ol>
      {log.length > SHOWN && (
        <p className="hint">
          Showing the newest {SHOWN} of {log.length} lines.
        </p>
      )}
    </section>
  )
}
