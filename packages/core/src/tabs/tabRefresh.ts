import type { RefreshResult, StoredSession } from '../engine/types'
import { untilAborted } from '../engine/untilAborted'
import type { TabRefreshOutcome, TabRefreshWork } from './tabCoordinator'
import { commitChange, isShared, latestSession, type TabState } from './tabState'

/**
 * One refresh across tabs: inside the lock, adopt a newer shared session or what this
 * tab's refresh token was exchanged for, and refresh only if what is found is due.
 */
export async function refreshUnderLock(
  state: TabState,
  work: TabRefreshWork,
): Promise<TabRefreshOutcome> {
  await state.seen
  // without a session, the refresh token can only be an HttpOnly cookie, which all tabs share
  const shared = isShared(state, work.current()) || work.current() === null
  return state.lock(work.signal, async () => {
    work.signal.throwIfAborted()
    const record = await state.ledger.read().catch(() => null)
    let base = work.current()
    if (record && shared && record.version > state.known) {
      state.known = record.version
      if (record.session === null && record.change === 'logout' && base !== null) {
        return { kind: 'loggedOut' }
      }
      if (record.session) base = record.session
    }
    if (record) base = latestSession(record, base)
    if (base && base.accessToken !== work.replacing && work.isFresh(base)) {
      return { kind: 'adopted', stored: base }
    }
    // refresh is never called with a signal that is already aborted
    work.signal.throwIfAborted()
    const presented = base?.refreshToken ?? null
    const call = work.spend(presented)
    let stored: StoredSession
    try {
      stored = work.toStored(await untilAborted(call, work.signal), presented)
    } catch (error) {
      if (work.signal.aborted) await keepLateResult(state, call, work, presented, shared)
      throw error
    }
    await commitChange(state, 'refresh', stored, presented, shared)
    await work.save(stored)
    return { kind: 'refreshed', stored }
  })
}

// Holding the lock until a timed-out call answers keeps the next tab from
// presenting the same token meanwhile; a late success is recorded, not lost.
async function keepLateResult(
  state: TabState,
  call: Promise<RefreshResult>,
  work: TabRefreshWork,
  presented: string | null,
  shared: boolean,
) {
  const result = await Promise.race([
    call.catch(() => null),
    new Promise<null>((resolve) => setTimeout(resolve, state.leaseMs, null)),
  ])
  if (!result) return
  try {
    const stored = work.toStored(result, presented)
    await commitChange(state, 'refresh', stored, presented, shared)
    work.late(stored, presented)
  } catch {
    // an unusable late answer changes nothing
  }
}
