import { useState } from 'react'
import { api, auth, serverHeaders, settings } from '../auth'
import { type ReplayAttempt, replayStolenTokens } from '../replay'
import { Scenario, useOutcome } from './Scenario'

/** The refresh token as a script reads it from Web Storage (an XSS would), or `null` in memory. */
function readableRefreshToken(): string | null {
  const store = { local: window.localStorage, session: window.sessionStorage }[
    settings.storage as 'local' | 'session'
  ]
  if (!store) return null
  try {
    const stored = JSON.parse(store.getItem('retoken.demo.session') ?? 'null')
    return typeof stored?.refreshToken === 'string' ? stored.refreshToken : null
  } catch {
    return null
  }
}

const verdict = ({ status, error, description }: ReplayAttempt) =>
  status < 300
    ? `accepted (${status})`
    : `refused: ${status} ${error}${description ? ` (${description})` : ''}`

/** Copies the session's tokens and replays them without this browser's key; never shows a token. */
export function ReplayStolenToken({ reason }: { reason: string | null }) {
  const outcome = useOutcome()
  const [attempts, setAttempts] = useState<ReplayAttempt[]>([])
  const replay = () =>
    outcome.run(async () => {
      setAttempts([])
      const accessToken = auth.getState().accessToken
      if (!accessToken) return 'No access token to copy: log in first'
      const refreshToken = readableRefreshToken()
      const tried = await replayStolenTokens(
        { accessToken, refreshToken, serverHeaders },
        settings.dpop,
      )
      setAttempts(tried)
      const own = await api.get('/api/orders')
      const refused = tried.filter((attempt) => attempt.status >= 400).length
      const skipped =
        settings.dpop && refreshToken === null
          ? ' No refresh token could be read from Web Storage, so it was not replayed.'
          : ''
      return `${refused} of ${tried.length} replays refused; the page's own request, with its key: ${own.status}.${skipped}`
    })
  return (
    <Scenario
      title="Replay a stolen token without the key"
      watch={
        settings.dpop
          ? 'Copies the access token (and the refresh token, if a script can read it from storage) and sends them from a plain fetch, without this browser’s key. The server refuses each; the page’s own requests still work. No token is shown.'
          : 'With DPoP off, a copied access token works from anywhere until it expires: sent as Bearer from a plain fetch, the server accepts it. Turn DPoP on to see it refused.'
      }
      testId="replay"
      outcome={outcome}
      disabledReason={reason}
      details={
        attempts.length > 0 && (
          <ul className="replay-attempts" data-testid="replay-attempts">
            {attempts.map((attempt) => (
              <li key={attempt.what} className={attempt.status < 300 ? 'accepted' : 'refused'}>
                <strong>{attempt.what}</strong>: {verdict(attempt)}
              </li>
            ))}
          </ul>
        )
      }
    >
      <button type="button" className="danger" onClick={replay}>
        Replay the stolen tokens
      </button>
    </Scenario>
  )
}
