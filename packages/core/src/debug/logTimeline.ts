import type { RequestSummary, SessionControls } from '../engine/types'
import { fingerprint } from '../tabs/fingerprint'

/** Receives one line of the session's timeline; `details` never holds a token. */
export type DebugLogger = (line: string, details: Record<string, unknown>) => void

// a fingerprint tells two tokens apart in a log without revealing either
const label = (token: string) => `#${fingerprint(token).slice(0, 8)}`

const describeRequest = ({ request }: { request: RequestSummary }) => ({
  id: request.id,
  method: request.method,
  url: request.url,
})

/**
 * Writes the session's timeline (requests queued, refreshes, retries, tab hand-overs,
 * expiry) to `log`, every token replaced by a fingerprint; returns the stop function.
 * @example if (import.meta.env.DEV) logTimeline(auth)
 */
export function logTimeline(
  auth: Pick<SessionControls, 'on'>,
  log: DebugLogger = (line, details) => console.debug(`[retoken] ${line}`, details),
): () => void {
  const events = auth
  const stops = [
    events.on('requestQueued', (p) => log('request queued for a refresh', describeRequest(p))),
    events.on('requestRetried', (p) =>
      log('request retried with the new token', describeRequest(p)),
    ),
    events.on('refreshStarted', (p) => log(`refresh started (${p.reason})`, { reason: p.reason })),
    events.on('refreshSucceeded', (p) =>
      log(p.source === 'other-tab' ? 'tokens taken over from another tab' : 'refresh succeeded', {
        accessToken: label(p.accessToken),
        source: p.source,
      }),
    ),
    events.on('refreshFailed', (p) =>
      log(p.fatal ? 'refresh rejected: the session is over' : 'refresh failed, session kept', {
        error: p.error.name,
        message: p.error.message,
        fatal: p.fatal,
      }),
    ),
    events.on('sessionExpired', (p) => log('session expired', { error: p.error.message })),
    events.on('loggedIn', (p) => log('logged in', { accessToken: label(p.accessToken) })),
    events.on('loggedOut', () => log('logged out', {})),
    events.on('tabSync', (p) => log(`followed another tab (${p.change})`, { change: p.change })),
    events.on('storageFailed', (p) =>
      log(`storage failed to ${p.operation} the session, kept in memory`, {
        operation: p.operation,
        // the name only: a storage's message may quote what it was given, tokens included
        error: p.error instanceof Error ? p.error.name : typeof p.error,
      }),
    ),
  ]
  return () => {
    for (const stop of stops) stop()
  }
}
