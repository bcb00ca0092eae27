import { useEffect, useState } from 'react'
import { ACCESS_TOKEN_TTL, authServer } from '../mocks/browser'

/** Switches that break the mock server, and its counters. */
export function ServerControls() {
  const counters = useCounters()
  const [offset, setOffset] = useState(0)

  const expireTokens = () => {
    // the server's clock jumps past every access token's expiry; the client's does not
    const next = offset + ACCESS_TOKEN_TTL + 1
    authServer.clock.setOffset(next)
    setOffset(next)
  }

  return (
    <div className="panel">
      <h2>Mock server</h2>
      <p>
        Refresh calls: <strong data-testid="refresh-calls">{counters.refreshCalls}</strong>
        <br />
        Requests with an expired token:{' '}
        <strong data-testid="expired-requests">{counters.expiredTokenRequests}</strong>
        <br />
        Reuse detections: <strong>{counters.reuseDetections}</strong>
      </p>
      <button type="button" onClick={expireTokens}>
        Expire access tokens on the server
      </button>
      <button type="button" onClick={() => authServer.faults.failNextRefresh(1, 'server-error')}>
        Fail the next refresh (500)
      </button>
      <button
        type="button"
        onClick={() => authServer.faults.failNextRefresh(1, { delayMs: 3_000 })}
      >
        Make the next refresh slow (3 s)
      </button>
      <button type="button" onClick={() => authServer.faults.revokeAllSessions()}>
        Revoke all sessions
      </button>
    </div>
  )
}

// the counters are plain numbers in the mock server: read them a few times a second
function useCounters() {
  const read = () => ({ ...authServer.counters })
  const [counters, setCounters] = useState(read)
  useEffect(() => {
    const timer = setInterval(() => setCounters({ ...authServer.counters }), 250)
    return () => clearInterval(timer)
  }, [])
  return counters
}
