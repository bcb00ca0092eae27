import type { TabsEngine, TabsHost } from './extensions'
import { buildSession, isFresh, readSession, replaceSession, storedSession } from './sessionCore'

/** What tab coordination gets from this engine: its session, its refresh and a way to follow. */
export function createTabsHost({ core, local, lifecycle }: TabsEngine): TabsHost {
  const { storage, config, events } = core

  function followLogout() {
    if (!core.session) return
    lifecycle.endLocally('logged out in another tab')
    events.emit('tabSync', { change: 'logout' })
  }

  return {
    name: storage.id ?? 'default',
    sharing: storage.sharing ?? (storage.subscribe ? 'tabs' : 'none'),
    // the lock outlives a timed-out call, so its late answer is recorded, not lost
    leaseMs: config.refreshTimeoutMs + 10_000,
    now: config.now,
    storage,
    current: () => storedSession(core),
    read: (value) => readSession(core, value),
    isFresh: (session) => isFresh(core, session),
    spend: local.spend,
    build: (result, presented) => buildSession(core, result, presented),
    save: core.save,
    storageFailed: core.storageFailed,
    epoch: () => core.epoch,
    adoptLate: local.adoptLate,
    follow(change, value) {
      // a login or logout elsewhere may have replaced the key this tab cached
      if (change !== 'refresh') core.dpop?.reload()
      if (change === 'logout' || value === null) return followLogout()
      const next = readSession(core, value)
      if (!next || next.accessToken === core.session?.accessToken) return
      if (change === 'login' || !core.session) {
        lifecycle.begin(next, 'A new session started in another tab')
        events.emit('tabSync', { change: 'login' })
        return
      }
      replaceSession(core, next, { error: null })
      events.emit('refreshSucceeded', { accessToken: next.accessToken, source: 'other-tab' })
      events.emit('tabSync', { change: 'refresh' })
    },
  }
}
