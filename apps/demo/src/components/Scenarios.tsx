import { useAuthState } from '@retoken/react'
import { useState } from 'react'
import { api, auth, mockControl } from '../auth'
import { burst } from '../burst'
import { describeError } from '../describe'
import { formatClock } from '../serverState'
import { clockSkewMinutes, setClockSkew, skewedNow } from '../settings'
import { ReplayStolenToken } from './ReplayStolenToken'
import { Scenario, useOutcome } from './Scenario'
import { TwoTabs } from './TwoTabs'

/** Expires every access token on the server (the clock does not move), then calls the API. */
const expireNow = () => mockControl<{ expired: number }>('expire')
const loadOrders = () => api.get('/api/orders')
const LOG_IN_FIRST = 'Log in first: this scenario calls the protected API.'

/** The buttons that make the session's hard cases happen, each with what to watch. */
export function Scenarios() {
  const loggedIn = useAuthState((s) => s.status === 'authenticated')
  const reason = loggedIn ? null : LOG_IN_FIRST
  return (
    <section className="scenarios" aria-labelledby="scenarios-title">
      <h2 id="scenarios-title">Scenarios</h2>
      <div className="scenario-grid">
        <TwoTabs reason={reason} />
        <Burst reason={reason} />
        <ExpireNow reason={reason} />
        <FailRefresh reason={reason} />
        <SlowRefresh reason={reason} />
        <Revoke reason={reason} />
        <ClockSkew reason={reason} />
        <Upload reason={reason} />
        <ReplayStolenToken reason={reason} />
      </div>
    </section>
  )
}

interface CardProps {
  /** Why the card cannot run now, or `null`. */
  reason: string | null
}

function Burst({ reason }: CardProps) {
  const [count, setCount] = useState(20)
  const outcome = useOutcome()
  const send = () =>
    outcome.run(async () => {
      const { ok, failure } = await burst(count)
      return `${ok} of ${count} requests succeeded${failure ? `; the others: ${failure}` : ''}`
    })
  return (
    <Scenario
      title="Many requests at once"
      watch="After “Expire the token now”, every request gets a 401, all wait for one refresh and are retried: the server counts a single refresh call."
      testId="burst"
      outcome={outcome}
      disabledReason={reason}
    >
      <label className="field inline narrow">
        <span>Requests</span>
        <input
          type="number"
          min={1}
          max={100}
          value={count}
          data-testid="burst-count"
          onChange={(e) => setCount(Math.max(1, Math.min(100, Number(e.target.value) || 1)))}
        />
      </label>
      <button type="button" className="primary" onClick={send}>
        Send {count} requests at once
      </button>
    </Scenario>
  )
}

function ExpireNow({ reason }: CardProps) {
  const outcome = useOutcome()
  return (
    <Scenario
      title="Expire the token now"
      watch="The server treats every access token it issued so far as expired; its clock does not move. The page still thinks its token is valid, so the next request gets a 401 and refreshes."
      testId="expire"
      outcome={outcome}
      disabledReason={reason}
    >
      <button
        type="button"
        onClick={() =>
          outcome.run(async () => {
            const { expired } = await expireNow()
            return `Expired ${expired} access token${expired === 1 ? '' : 's'} on the server at ${formatClock(Date.now())}; its clock did not move`
          })
        }
      >
        Expire the token now
      </button>
    </Scenario>
  )
}

function FailRefresh({ reason }: CardProps) {
  const outcome = useOutcome()
  const fail = (kind: 'server-error' | 'network-error' | 'timeout') =>
    outcome.run(async () => {
      await mockControl('fail-refresh', { kind })
      await expireNow()
      try {
        await loadOrders()
        return 'The request went through'
      } catch (error) {
        return `${describeError(error)}. Still logged in: load orders again and it works.`
      }
    })
  return (
    <Scenario
      title="The next refresh fails"
      watch="A 500, a cut connection or a refresh that hangs past the 5 s refreshTimeout is transient: the request fails, the session stays."
      testId="fail"
      outcome={outcome}
      disabledReason={reason}
    >
      <button type="button" onClick={() => fail('server-error')}>
        Fail with 500
      </button>
      <button type="button" onClick={() => fail('network-error')}>
        Network error
      </button>
      <button type="button" onClick={() => fail('timeout')}>
        Timeout
      </button>
    </Scenario>
  )
}

function SlowRefresh({ reason }: CardProps) {
  const outcome = useOutcome()
  const slow = () =>
    outcome.run(async () => {
      await mockControl('slow-refresh', { ms: 3_000 })
      await expireNow()
      const started = performance.now()
      await loadOrders()
      return `Orders loaded after ${((performance.now() - started) / 1000).toFixed(1)} s`
    })
  return (
    <Scenario
      title="Slow refresh (3 s)"
      watch="The request waits in the queue while the refresh takes 3 s; the session card says “Refreshing…”, then the request completes."
      testId="slow"
      outcome={outcome}
      disabledReason={reason}
    >
      <button type="button" onClick={slow}>
        Slow down the next refresh
      </button>
    </Scenario>
  )
}

function Revoke({ reason }: CardProps) {
  const outcome = useOutcome()
  const revoke = () =>
    outcome.run(async () => {
      await mockControl('revoke')
      await loadOrders()
      return 'The request went through'
    })
  return (
    <Scenario
      title="Revoke the session on the server"
      watch="The server revokes every session (as an admin would); the next request's refresh is refused and you land on the login form with a message."
      testId="revoke"
      outcome={outcome}
      disabledReason={reason}
    >
      <button type="button" className="danger" onClick={revoke}>
        Revoke the session
      </button>
    </Scenario>
  )
}

function ClockSkew({ reason }: CardProps) {
  const [minutes, setMinutes] = useState(clockSkewMinutes)
  const outcome = useOutcome()
  const apply = () =>
    outcome.run(async () => {
      setClockSkew(minutes)
      // the skew is measured from the next token's iat
      await auth.refresh()
      return `Client clock ${minutes >= 0 ? '+' : ''}${minutes} min (${formatClock(skewedNow())}); token renewed`
    })
  return (
    <Scenario
      title="Skew the client clock"
      watch="The page's clock runs minutes off; retoken measures the skew from the token's iat (see the devtools' session view) and still renews on time."
      testId="skew"
      outcome={outcome}
      disabledReason={reason}
    >
      <label className="field inline narrow">
        <span>Minutes</span>
        <input
          type="number"
          min={-60}
          max={60}
          value={minutes}
          onChange={(e) => setMinutes(Math.max(-60, Math.min(60, Number(e.target.value) || 0)))}
        />
      </label>
      <button type="button" onClick={apply}>
        Apply skew
      </button>
    </Scenario>
  )
}

/** Renew first when the token would expire during the upload: a big body is not resent. */
const UPLOAD_NEEDS_SECONDS = 15

function Upload({ reason }: CardProps) {
  const outcome = useOutcome()
  const [progress, setProgress] = useState(0)
  const upload = () =>
    outcome.run(async () => {
      setProgress(0)
      const expiresAt = auth.getState().expiresAt
      const left = expiresAt === null ? 0 : (expiresAt - skewedNow()) / 1000
      let renewed = ''
      if (left < UPLOAD_NEEDS_SECONDS) {
        await auth.refresh()
        renewed = `renewed the token first (it had ${Math.max(0, Math.round(left))} s left), `
      }
      const body = new Blob(['x'.repeat(256 * 1024)], { type: 'text/plain' })
      await api.post('/api/upload', body, {
        onUploadProgress: (event) => setProgress(event.progress ?? 0),
      })
      setProgress(1)
      return `Uploaded 256 KB: ${renewed || 'the token was fresh enough, '}the server took 2.5 s`
    })
  return (
    <Scenario
      title="A long upload"
      watch="Before sending 256 KB that the server takes 2.5 s to accept, the page renews a token with less than 15 s left, so the upload is never refused halfway."
      testId="upload"
      outcome={outcome}
      disabledReason={reason}
    >
      <button type="button" onClick={upload}>
        Upload 256 KB
      </button>
      <progress max={1} value={progress} aria-label="Upload progress" />
    </Scenario>
  )
}
