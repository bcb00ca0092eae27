import type { StorageSharing, StoredSession } from '../engine/types'
import { fingerprint } from './fingerprint'
import { type Ledger, type LedgerRecord, pruneSpent, type TabChange } from './ledger'
import type { TabChannel } from './tabChannel'
import type { TabLock } from './tabLock'

/** What a tab coordinator's refresh, publish and follow paths share. */
export interface TabState {
  ledger: Ledger
  channel: TabChannel
  lock: TabLock
  sharing: StorageSharing
  leaseMs: number
  now(): number
  /** The ledger version this tab's session reflects. */
  known: number
  /** A login or logout of this tab waiting for the lock is newer than anything recorded meanwhile. */
  publishing: number
  /** This tab's first read of the ledger. */
  seen: Promise<LedgerRecord | null>
}

// a session every tab shares: a shared storage, or a refresh token in an HttpOnly cookie
export const isShared = (state: TabState, session: StoredSession | null) =>
  state.sharing === 'tabs' || (session !== null && session.refreshToken === null)

/** Records a change in the ledger and tells the other tabs. */
export async function commitChange(
  state: TabState,
  change: TabChange,
  stored: StoredSession | null,
  presented: string | null,
  shared: boolean,
) {
  try {
    const next = await state.ledger.update((current) => {
      const spent = pruneSpent({ ...current.spent }, state.now())
      if (presented !== null && stored && state.sharing !== 'none') {
        spent[fingerprint(presented)] = { session: stored, at: state.now() }
      }
      if (!shared) return { ...current, spent }
      return {
        version: current.version + 1,
        change,
        session: stored,
        spent: change === 'logout' ? {} : spent,
      }
    })
    if (shared) state.known = next.version
    state.channel.post(shared ? { type: 'changed', version: next.version } : { type: 'changed' })
  } catch {
    // IndexedDB failing (quota, private mode) must not lose the tokens in memory
  }
}

/** The session `from` was exchanged for, following the ledger's spent tokens. */
export function latestSession(
  record: LedgerRecord,
  from: StoredSession | null,
): StoredSession | null {
  let session = from
  // follow spent tokens to what replaced them: a duplicated tab, a missed handover
  for (let hops = 0; session?.refreshToken && hops < 64; hops++) {
    const entry = record.spent[fingerprint(session.refreshToken)]
    if (!entry) break
    session = entry.session
  }
  return session
}
