import type { StoredSession } from '../engine/types'
import type { TabChange } from './ledger'
import { isShared, latestSession, type TabState } from './tabState'

/** Calls `onChange` when another tab changed the session this tab follows. */
export function followChanges(
  state: TabState,
  current: () => StoredSession | null,
  onChange: (change: TabChange, session: StoredSession | null) => void,
): () => void {
  return state.channel.listen(async (message) => {
    if (message.type !== 'changed' || state.publishing > 0) return
    const record = await state.ledger.read().catch(() => null)
    if (!record || state.publishing > 0) return
    const mine = current()
    // A shared change a live tab just made is news even if this tab's first read of the
    // ledger already saw it: that read may have finished after the change, before the
    // message. The engine ignores a session it already holds.
    const news = record.version > state.known || message.version !== undefined
    if (news && (isShared(state, mine) || mine === null)) {
      state.known = Math.max(state.known, record.version)
      if (record.change) onChange(record.change, record.session)
      return
    }
    const next = latestSession(record, mine)
    if (next && mine && next.accessToken !== mine.accessToken) onChange('refresh', next)
  })
}
