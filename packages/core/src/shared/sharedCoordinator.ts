import type { TabsHost, TabsLink } from '../engine/extensions'
import { follow } from './follow'
import { publish } from './publish'
import { randomId } from './record'
import { renew } from './renew'
import type { SharedState, SharedView } from './sharedState'
import type { SharedStore } from './types'
import { createWakeups } from './wakeups'

export type { SharedView } from './sharedState'

/**
 * One session across processes on a {@link SharedStore}: a refresh claims the refresh
 * token with a conditional write before spending it, and commits the new tokens with
 * a conditional write on that claim, so two processes can never spend one token and a
 * holder whose lease ran out can never overwrite a newer session. The store's lock,
 * when it has one, only keeps waiters from polling (see docs/decisions/014).
 *
 * The steps live in their own files: `renew` (claim, spend, commit), `commit` (and its
 * retry), `keepLateResult` (a refresh that outlived its caller), `publish` (logins and
 * logouts) and `follow` (the other processes' writes); `sharedState` holds what they share.
 */
export function coordinateShared(host: TabsHost, store: SharedStore, view: SharedView): TabsLink {
  const state: SharedState = {
    host,
    store,
    view,
    owner: randomId(),
    spentHere: new Set(),
    wakeups: createWakeups(),
    ownVersions: new Set(),
    publishing: 0,
    closed: false,
  }
  const stopFollowing = follow(state)
  return {
    renew: (signal) => renew(state, signal),
    publish: (change, session) => publish(state, change, session),
    close() {
      state.closed = true
      stopFollowing()
      state.wakeups.wakeAll()
    },
  }
}
