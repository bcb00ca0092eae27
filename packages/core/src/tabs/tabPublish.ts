import type { StoredSession } from '../engine/types'
import { commitChange, isShared, type TabState } from './tabState'

/**
 * Orders a login or logout with the other tabs' refreshes, then tells them; `session`
 * is the new session of a login, or the one a logout ended.
 */
export async function publishChange(
  state: TabState,
  change: 'login' | 'logout',
  session: StoredSession | null,
  save: () => Promise<void>,
): Promise<void> {
  await state.seen
  const shared = isShared(state, session)
  if (!shared) return save()
  const signal = AbortSignal.timeout(state.leaseMs)
  const write = async () => {
    await commitChange(state, change, change === 'logout' ? null : session, null, true)
    await save()
  }
  state.publishing += 1
  try {
    // a login or logout waits for a refresh in another tab, so its result cannot overwrite it
    await state.lock(signal, write).catch(write)
  } finally {
    state.publishing -= 1
  }
}
