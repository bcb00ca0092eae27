import type { TabsHost } from '../engine/extensions'
import { redactSecret } from '../engine/redactSecret'
import type { StoredSession } from '../engine/types'
import { fingerprint } from '../tabs/fingerprint'
import { nextRecord } from './record'
import { withStore } from './storeFailed'
import type { SharedRecord, SharedStore } from './types'
import type { createWakeups } from './wakeups'

/** The newest record a process has seen; shared with the storage's `get()`. */
export interface SharedView {
  known: SharedRecord | null
}

/** What one process's coordinator keeps; each step of the protocol gets it. */
export interface SharedState {
  host: TabsHost
  store: SharedStore
  view: SharedView
  /** This process's random id, as its claims name their owner. */
  owner: string
  /** Refresh tokens this process presented (fingerprints): never presented again, whatever a store says. */
  spentHere: Set<string>
  /** Versions this process wrote: their notifications are no news. */
  ownVersions: Set<number>
  wakeups: ReturnType<typeof createWakeups>
  /** Logins and logouts being written by this process. */
  publishing: number
  closed: boolean
}

/** Keeps the newest record seen; returns whether `record` is news. */
export function observe(state: SharedState, record: SharedRecord | null): boolean {
  if (!record || (state.view.known && record.version <= state.view.known.version)) return false
  state.view.known = record
  return true
}

/** Reads the store; a read older than what this process knows (a lagging replica, a stale cache) is ignored. */
export async function readLatest(state: SharedState): Promise<SharedRecord | null> {
  observe(state, await withStore(() => state.store.read()))
  return state.view.known
}

export const usable = (
  state: SharedState,
  session: StoredSession | null,
): session is StoredSession =>
  session !== null &&
  !(session.refreshToken !== null && state.spentHere.has(fingerprint(session.refreshToken)))

/** A conditional write of this process's; its own notification is then no news. */
export async function writeOwn(state: SharedState, next: SharedRecord): Promise<boolean> {
  if (state.ownVersions.size > 32) state.ownVersions.clear()
  state.ownVersions.add(next.version)
  let result: Awaited<ReturnType<SharedStore['write']>>
  try {
    // a copy of the session: redacting an error that holds what it was given must not
    // reach the record, which a failed commit writes again
    result = await state.store.write({ ...next, session: next.session && { ...next.session } })
  } catch (error) {
    // a client may quote what it was given (the record, refresh token included)
    throw redactSecret(error, next.session?.refreshToken ?? null)
  }
  if (result.written) {
    observe(state, next)
    return true
  }
  state.ownVersions.delete(next.version)
  // Nothing stored, on the authoritative copy: the store lost its data (a Redis
  // restarted without persistence, a key past its TTL). Versions start again.
  if (result.current === null) state.view.known = null
  observe(state, result.current)
  return false
}

/** Withdraws this process's claim (only if nothing was written since), so others may refresh. */
export async function releaseClaim(state: SharedState, claim: SharedRecord | null) {
  if (!claim?.claim || claim.claim.owner !== state.owner) return
  const released = nextRecord(claim, 'claim', claim.session, Date.now(), { spent: claim.spent })
  await writeOwn(state, released).catch(() => {})
}
