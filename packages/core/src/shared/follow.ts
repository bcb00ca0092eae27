import { observe, type SharedState, usable } from './sharedState'
import { withStore } from './storeFailed'

/**
 * Follows the other processes' writes: wakes this process's waiters, and hands the
 * engine each login, refresh or logout that is news. Returns the unsubscribe function.
 */
export function follow(state: SharedState): () => void {
  return (
    state.store.subscribe?.(() => {
      state.wakeups.wakeAll()
      if (state.publishing > 0 || state.closed) return
      withStore(() => state.store.read()).then(
        (record) => {
          // a storage emptied by a logout elsewhere (plain storages remove the session)
          if (record === null && state.view.known?.session && state.store.emptyMeansLoggedOut) {
            state.view.known = null
            return state.host.follow('logout', null)
          }
          // only news: what this process wrote itself, or older than it knows, is not
          if (!record || state.ownVersions.has(record.version) || !observe(state, record)) return
          if (state.publishing > 0 || record.change === 'claim') return
          if (record.session && !usable(state, record.session)) return
          if (record.change === 'logout') return state.host.follow('logout', null)
          // a session this process already holds is ignored by the engine
          state.host.follow(record.change, record.session)
        },
        () => {},
      )
    }) ?? (() => {})
  )
}
