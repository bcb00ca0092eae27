import type { AuditEntry, AuthServerCounters } from '@retoken/mock-server'

/** The mock servers: refresh token in JSON bodies, in an HttpOnly cookie, or in JSON with DPoP required. */
export type ServerName = 'body' | 'cookie' | 'dpop'

/** How one refresh call ended, as the client saw it. */
export type RefreshOutcome =
  | 'succeeded'
  | 'rejected'
  | 'rate-limited'
  | 'server-error'
  | 'cut'
  | 'timed-out'

/** A fault waiting on the server for the next refresh call. */
export interface ArmedFault {
  server: ServerName
  kind: 'server-error' | 'network-error' | 'timeout' | 'slow'
  /** What it will do to the refresh call it meets, in words, for the page's banner. */
  description: string
}

/** One line of the demo's log: a refresh call, a server audit entry, or a control action. */
export interface LogEntry {
  seq: number
  /** Server time in ms (the server clock is never moved). */
  at: number
  server: ServerName
  type: Exclude<AuditEntry['type'], 'refresh' | 'rate_limited'> | 'refresh' | 'expire'
  /** For `refresh`: how the call ended. */
  outcome?: RefreshOutcome
  detail?: string
}

/** Counts over both servers; every refresh count is the number of `refresh` lines with that outcome. */
export interface DemoCounts {
  refreshCalls: number
  byOutcome: Record<RefreshOutcome, number>
  reuseDetections: number
  expiredTokenRequests: number
  /** Resource requests the DPoP server refused for DPoP (its `dpop_refused` lines), nonce challenges aside. */
  dpopRefusals: number
  /** `use_dpop_nonce` answers of the DPoP server: a client without the current nonce is asked to resend. */
  dpopNonceChallenges: number
}

/** What `GET /__mock/state` returns: one source of truth for every server. */
export interface MockState {
  accessTokenTtl: number
  counts: DemoCounts
  /** What each mock server counted itself (refresh calls that reached it, requests by route). */
  servers: Record<ServerName, AuthServerCounters>
  armed: ArmedFault[]
  /** Oldest first. */
  log: LogEntry[]
}

/** Every outcome, in the order the page lists them. */
export const REFRESH_OUTCOMES: readonly RefreshOutcome[] = [
  'succeeded',
  'rejected',
  'rate-limited',
  'server-error',
  'cut',
  'timed-out',
]
