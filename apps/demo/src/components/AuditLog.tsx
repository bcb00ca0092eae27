import { useEffect, useState } from 'react'
import type { MockState } from '../../server/mockServerPlugin'
import { mockControl } from '../auth'

const LABELS: Record<MockState['auditLog'][number]['type'], string> = {
  login: 'login',
  login_failed: 'login failed',
  refresh: 'refresh',
  reuse_detected: 'reuse detected',
  revoked: 'revoked',
  logout: 'logout',
  rate_limited: 'rate limited',
  refresh_timeout: 'refresh lost (timeout)',
  refresh_dropped: 'refresh cut (network error)',
}

/** The server's side of the story, polled from `GET /__mock/state` every second. */
export function AuditLog() {
  const [state, setState] = useState<MockState | null>(null)
  const [failed, setFailed] = useState(false)

  useEffect(() => {
    let active = true
    const poll = () =>
      mockControl<MockState>('state', {}, 'GET').then(
        (next) => {
          if (!active) return
          setState(next)
          setFailed(false)
        },
        () => {
          if (active) setFailed(true)
        },
      )
    poll()
    const timer = setInterval(poll, 1_000)
    return () => {
      active = false
      clearInterval(timer)
    }
  }, [])

  const offset = state?.clockOffsetSeconds ?? 0
  const entries = [...(state?.auditLog ?? [])].reverse().slice(0, 60)
  return (
    <section className="card audit" aria-labelledby="audit-title">
      <div className="card-head">
        <h2 id="audit-title">Server audit log</h2>
        <button type="button" className="small" onClick={() => mockControl('reset')}>
          Reset server
        </button>
      </div>
      {failed && (
        <p className="error">
          The mock server does not answer: run the demo with <code>npm start</code>.
        </p>
      )}
      <dl className="counters">
        <div>
          <dt>Refresh calls</dt>
          <dd data-testid="refresh-calls">{state?.counters.refreshCalls ?? '–'}</dd>
        </div>
        <div>
          <dt>Expired-token requests</dt>
          <dd>{state?.counters.expiredTokenRequests ?? '–'}</dd>
        </div>
        <div>
          <dt>Reuse detections</dt>
          <dd>{state?.counters.reuseDetections ?? '–'}</dd>
        </div>
        <div>
          <dt>Server clock ahead</dt>
          <dd>{offset} s</dd>
        </div>
      </dl>
      <p className="hint">Newest first; times are on the server's clock.</p>
      <ol className="log" data-testid="audit-log" aria-label="Audit entries, newest first">
        {entries.map((entry) => (
          <li key={entry.seq} className={`log-${entry.type}`}>
            <time dateTime={new Date(entry.at).toISOString()}>
              {new Date(entry.at).toLocaleTimeString()}
            </time>{' '}
            <strong>{LABELS[entry.type]}</strong>
            {entry.detail && <span className="detail"> · {entry.detail}</span>}
          </li>
        ))}
        {entries.length === 0 && <li className="empty">Nothing yet: log in.</li>}
      </ol>
    </section>
  )
}
