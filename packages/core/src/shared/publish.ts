import { warnUnpublished } from '#dev'
import type { StoredSession } from '../engine/types'
import { nextRecord } from './record'
import { readLatest, type SharedState, writeOwn } from './sharedState'
import { withStore } from './storeFailed'
import { POLL_MS } from './wakeups'

/**
 * Writes a login or logout for the other processes to follow; a store that fails
 * leaves the change in this process only, and the app is told (`storageFailed`).
 */
export async function publish(
  state: SharedState,
  change: 'login' | 'logout',
  session: StoredSession | null,
) {
  state.publishing += 1
  try {
    const signal = AbortSignal.timeout(state.host.leaseMs)
    const write = () => publishChange(state, change, session, signal)
    // a login or logout waits for a refresh elsewhere, so that refresh cannot overwrite it
    if (state.store.lock)
      await state.store.lock(write, { signal, leaseMs: state.host.leaseMs }).catch(write)
    else await write()
  } catch (error) {
    // The session stays in memory here; other processes learn of it with the next write.
    warnUnpublished(error)
    state.host.storageFailed(
      change === 'login' ? 'save' : 'remove',
      error,
      session?.refreshToken ?? null,
    )
  } finally {
    state.publishing -= 1
  }
}

async function publishChange(
  state: SharedState,
  change: 'login' | 'logout',
  session: StoredSession | null,
  signal: AbortSignal,
) {
  for (;;) {
    const record = await readLatest(state)
    const next = nextRecord(record, change, change === 'logout' ? null : session, Date.now())
    if (await withStore(() => writeOwn(state, next))) return
    if ((state.view.known?.version ?? 0) <= (record?.version ?? 0)) {
      await state.wakeups.wait(signal, Date.now() + POLL_MS)
    }
  }
}
