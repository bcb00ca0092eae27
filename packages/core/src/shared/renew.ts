import { warnAlone } from '#dev'
import type { Renewal } from '../engine/extensions'
import { RequestCanceledError } from '../engine/requestQueue'
import type { Session } from '../engine/session'
import { untilAborted } from '../engine/untilAborted'
import { fingerprint } from '../tabs/fingerprint'
import { commit } from './commit'
import { keepLateResult } from './keepLateResult'
import { isSpent, nextRecord } from './record'
import { readLatest, releaseClaim, type SharedState, usable, writeOwn } from './sharedState'
import { storeFailed } from './storeFailed'
import type { SharedRecord } from './types'
import { underLock } from './underLock'
import { POLL_MS } from './wakeups'

/** Refreshes once across processes, or takes the tokens another process just got. */
export async function renew(state: SharedState, signal: AbortSignal): Promise<Renewal> {
  const replacing = state.host.current()?.accessToken ?? null
  const startedIn = state.host.epoch()
  const work = (lease?: AbortSignal) => renewOnce(state, signal, replacing, startedIn, lease)
  const outcome = await (state.store.lock
    ? underLock(state.store.lock, { signal, leaseMs: state.host.leaseMs }, work)
    : work())
  if (outcome.kind === 'loggedOut') {
    state.host.follow('logout', null)
    throw new RequestCanceledError(
      'The refresh was abandoned: the session ended in another process',
    )
  }
  return {
    session: outcome.session,
    source: outcome.kind === 'refreshed' ? 'this-tab' : 'other-tab',
  }
}

async function renewOnce(
  state: SharedState,
  signal: AbortSignal,
  replacing: string | null,
  startedIn: number,
  lease?: AbortSignal,
) {
  const loggedOutAt = state.view.known?.version ?? 0
  for (;;) {
    signal.throwIfAborted()
    const record = await readLatest(state)
    if (record && record.change === 'logout' && record.version > loggedOutAt) {
      return { kind: 'loggedOut' as const }
    }
    // the store's session, unless it carries a token this process spent: then its own is newer
    const base = usable(state, record?.session ?? null) ? record!.session : state.host.current()
    const candidate = base ? state.host.read(base) : null
    if (
      candidate &&
      usable(state, base) &&
      candidate.accessToken !== replacing &&
      !isSpent(record, candidate.refreshToken) &&
      state.host.isFresh(candidate)
    ) {
      return { kind: 'adopted' as const, session: candidate }
    }
    const presented = base?.refreshToken ?? null
    const claimed = record?.claim
    const busy = claimed && claimed.owner !== state.owner && claimed.until > Date.now()
    // Another process is spending a token, or the store still shows a token this
    // process (or the ledger) knows is spent: the store is behind. Wait, never spend.
    if (busy || !usable(state, base) || isSpent(record, presented)) {
      await state.wakeups.wait(signal, busy ? claimed.until : Date.now() + POLL_MS)
      continue
    }
    const claim = nextRecord(record, 'claim', base, Date.now(), {
      claim: {
        token: presented === null ? '' : fingerprint(presented),
        owner: state.owner,
        until: Date.now() + state.host.leaseMs,
      },
    })
    // what the new tokens are written on top of: the claim, once it is stored
    let writtenOn: SharedRecord | null = claim
    try {
      const knownBefore = state.view.known?.version ?? 0
      if (!(await writeOwn(state, claim))) {
        // refused with nothing newer to show: a store that lags or lies; look again later
        if ((state.view.known?.version ?? 0) <= knownBefore)
          await state.wakeups.wait(signal, Date.now() + POLL_MS)
        continue
      }
    } catch (error) {
      // a store that cannot be written (a full localStorage) may let this process go on alone
      if (state.store.whenUnavailable !== 'refresh-alone') throw storeFailed(error)
      warnAlone(error)
      writtenOn = record
    }
    // refresh is never called with a signal that is already aborted, nor on a lost lease
    signal.throwIfAborted()
    if (lease?.aborted) {
      void releaseClaim(state, writtenOn)
      throw storeFailed(lease.reason)
    }
    if (presented !== null) state.spentHere.add(fingerprint(presented))
    const call = state.host.spend(presented, signal)
    let built: Session
    try {
      built = state.host.build(await untilAborted(call, signal), presented)
    } catch (error) {
      if (signal.aborted) keepLateResult(state, call, writtenOn, presented, startedIn)
      // the others need not wait out the claim of a refresh that failed
      else void releaseClaim(state, writtenOn)
      throw error
    }
    if (await commit(state, writtenOn, built, presented))
      return { kind: 'refreshed' as const, session: built }
    // someone wrote after the claim ran out (a login, a logout, a takeover): theirs is newer
    const winner = state.view.known
    if (winner === null || winner.change === 'logout') return { kind: 'loggedOut' as const }
    const session = winner?.session ? state.host.read(winner.session) : null
    return session
      ? { kind: 'adopted' as const, session }
      : { kind: 'refreshed' as const, session: built }
  }
}
