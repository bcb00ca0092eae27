import { useAuthState } from '@retoken/react'
import { type ReactNode, useId, useState } from 'react'
import { api, auth, mockControl } from '../auth'
import { describeError } from '../describe'
import { clockSkewMinutes, setClockSkew, skewedNow } from '../settings'

/** Expires the access tokens on the server (its clock jumps past them), then calls the API. */
const expireNow = () => mockControl('expire')
const loadOrders = () => api.get('/api/orders')

/** Runs a scenario and reports its outcome in the card's status line. */
function useOutcome() {
  const [text, setText] = useState('')
  const [busy, setBusy] = useState(false)
  const run = async (work: () => Promise<string>) => {
    setBusy(true)
    setText('Running…')
    try {
      setText(await work())
    } catch (error) {
      setText(describeError(error))
    } finally {
      setBusy(false)
    }
  }
  return { text, busy, run }
}

interface CardProps {
  title: string
  watch: string
  testId: string
  outcome: string
  children: ReactNode
}

function Scenario({ title, watch, testId, outcome, children }: CardProps) {
  const id = useId()
  return (
    <article className="card scenario" aria-labelledby={id} data-testid={testId}>
      <h3 id={id}>{title}</h3>
      <p className="watch">{watch}</p>
      <div className="actions">{children}</div>
      <p className="result" role="status" data-testid={`${testId}-result`}>
        {outcome}
      </p>
    </article>
  )
}

/** The buttons that make the session's hard cases happen, each with what to watch. */
export function Scenarios() {
  const loggedIn = useAuthState((s) => s.status === 'authenticated')
  return (
    <section className="scenarios" aria-labelledby="scenarios-title">
      <h2 id="scenarios-title">Scenarios</h2>
      {!loggedIn && <p className="hint">Log in first: most scenarios call the protected API.</p>}
      <div className="scenario-grid">
        <Burst />
        <ExpireNow />
        <FailRefresh />
        <SlowRefresh />
        <Revoke />
        <ClockSkew />
        <Upload />
      </div>
    </section>
  )
}

function Burst() {
  const [count, setCount] = useState(20)
  const { text, busy, run } = useOutcome()
  const send = () =>
    run(async () => {
      const results = await Promise.allSettled(
        Array.from({ length: count }, (_, i) => api.get('/api/echo', { params: { i } })),
      )
      const ok = results.filter((r) => r.status === 'fulfilled').length
      return `${ok} of ${count} requests succeeded`
    })
  return (
    <Scenario
      title="Many requests at once"
      watch="After “Expire the token now”, every request gets a 401, all wait for one refresh and are retried: the audit log shows a single refresh."
      testId="burst"
      outcome={text}
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
      <button type="button" className="primary" disabled={busy} onClick={send}>
        Send {count} requests at once
      </button>
    </Scenario>
  )
}

function ExpireNow() {
  const { text, busy, run } = useOutcome()
  return (
    <Scenario
      title="Expire the token now"
      watch="The server's clock jumps 21 s ahead; the page still thinks its token is valid, so the next request gets a 401 and refreshes."
      testId="expire"
      outcome={text}
    >
      <button
        type="button"
        disabled={busy}
        onClick={() =>
          run(async () => {
            await expireNow()
            return 'Every access token has expired'
          })
        }
      >
        Expire the token now
      </button>
    </Scenario>
  )
}

function FailRefresh() {
  const { text, busy, run } = useOutcome()
  const fail = (kind: 'server-error' | 'network-error' | 'timeout') =>
    run(async () => {
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
      watch="A 500, a dropped connection or a refresh that hangs past the 5 s refreshTimeout is transient: the request fails, the session stays."
      testId="fail"
      outcome={text}
    >
      <button type="button" disabled={busy} onClick={() => fail('server-error')}>
        Fail with 500
      </button>
      <button type="button" disabled={busy} onClick={() => fail('network-error')}>
        Network error
      </button>
      <button type="button" disabled={busy} onClick={() => fail('timeout')}>
        Timeout
      </button>
    </Scenario>
  )
}

function SlowRefresh() {
  const { text, busy, run } = useOutcome()
  const slow = () =>
    run(async () => {
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
      outcome={text}
    >
      <button type="button" disabled={busy} onClick={slow}>
        Slow down the next refresh
      </button>
    </Scenario>
  )
}

function Revoke() {
  const { text, busy, run } = useOutcome()
  const revoke = () =>
    run(async () => {
      await mockControl('revoke')
      await loadOrders()
      return 'The request went through'
    })
  return (
    <Scenario
      title="Revoke the session on the server"
      watch="The server revokes every session (as an admin would); the next request's refresh is refused and you land on the login form with a message."
      testId="revoke"
      outcome={text}
    >
      <button type="button" className="danger" disabled={busy} onClick={revoke}>
        Revoke the session
      </button>
    </Scenario>
  )
}

function ClockSkew() {
  const [minutes, setMinutes] = useState(clockSkewMinutes)
  const { text, busy, run } = useOutcome()
  const apply = () =>
    run(async () => {
      setClockSkew(minutes)
      // the skew is measured from the next token's iat
      await auth.refresh()
      return `Client clock ${minutes >= 0 ? '+' : ''}${minutes} min (${new Date(skewedNow()).toLocaleTimeString()}); token renewed`
    })
  return (
    <Scenario
      title="Skew the client clock"
      watch="The page's clock runs minutes off; retoken measures the skew from the token's iat (see the devtools' session view) and still renews on time."
      testId="skew"
      outcome={text}
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
      <button type="button" disabled={busy} onClick={apply}>
        Apply skew
      </button>
    </Scenario>
  )
}

/** Renew first when the token would expire during the upload: a big body is not resent. */
const UPLOAD_NEEDS_SECONDS = 15

function Upload() {
  const { text, busy, run } = useOutcome()
  const [progress, setProgress] = useState(0)
  const upload = () =>
    run(async () => {
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
      outcome={text}
    >
      <button type="button" disabled={busy} onClick={upload}>
        Upload 256 KB
      </button>
      <progress max={1} value={progress} aria-label="Upload progress" />
    </Scenario>
  )
}
