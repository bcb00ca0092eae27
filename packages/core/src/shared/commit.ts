import { type Session, toStoredSession } from '../engine/session'
import { fingerprint } from '../tabs/fingerprint'
import { nextRecord, pruneSpent } from './record'
import { type SharedState, usable, writeOwn } from './sharedState'
import type { SharedRecord } from './types'

/**
 * Writes the new tokens on top of this process's claim: `false` when someone wrote
 * after the claim ran out. A store that fails now is tried again in the background:
 * the server has rotated the token already, so these tokens must not be lost.
 */
export async function commit(
  state: SharedState,
  base: SharedRecord | null,
  built: Session,
  presented: string | null,
) {
  const spent = pruneSpent(base?.spent ?? {}, Date.now())
  if (presented !== null) spent[fingerprint(presented)] = Date.now()
  const next = nextRecord(base, 'refresh', toStoredSession(built), Date.now(), { spent })
  try {
    if (await writeOwn(state, next)) return true
    // emptied meanwhile: a logout, where stores remove the session on logout
    if (state.view.known === null) return !state.store.emptyMeansLoggedOut
    // refused by a store that holds nothing newer than the spent token: ours still stands
    return !usable(state, state.view.known.session) && state.view.known.change !== 'logout'
  } catch (error) {
    void retryCommit(state, next, Date.now() + state.host.leaseMs, error)
    return true
  }
}

async function retryCommit(
  state: SharedState,
  next: SharedRecord,
  until: number,
  firstError: unknown,
) {
  let lastError = firstError
  for (let delay = 100; !state.closed && Date.now() < until; delay = Math.min(delay * 2, 2000)) {
    await new Promise((resolve) => setTimeout(resolve, delay))
    try {
      const written = await writeOwn(state, next)
      // someone wrote meanwhile: theirs is newer, and the engine follows it
      if (!written && state.view.known) state.host.follow('refresh', state.view.known.session)
      return
    } catch (error) {
      // still unreachable: try again until the claim runs out
      lastError = error
    }
  }
  // given up: the rotated tokens live in this process only, which the app should know
  if (!state.closed) state.host.storageFailed('save', lastError, next.session?.refreshToken ?? null)
}
