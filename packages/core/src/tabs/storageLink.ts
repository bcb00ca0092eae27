import type { TabsHost, TabsLink } from '../engine/extensions'
import { toStoredSession } from '../engine/session'

/**
 * Tab coordination through the storage's own `lock` and `subscribe`, where the
 * browser's (Web Locks, IndexedDB, BroadcastChannel) is missing: a custom storage
 * shared by processes, or `localStorage` where IndexedDB is disabled. `null` when the
 * storage has neither.
 */
export function storageLink(host: TabsHost): TabsLink | null {
  const { storage } = host
  if (!storage.lock && !storage.subscribe) return null
  // another tab stored new tokens (`null`: it logged out)
  const stop =
    storage.subscribe?.(() => {
      Promise.resolve()
        .then(() => storage.get())
        .then(
          (stored) => {
            const next = host.read(stored)
            host.follow(next ? 'refresh' : 'logout', next && toStoredSession(next))
          },
          () => {},
        )
    }) ?? (() => {})
  return {
    // Refreshes while holding the storage's lock. If another tab refreshed while this
    // one waited, its tokens are taken instead: presenting the refresh token it just
    // rotated would count as reuse and revoke the session for every tab.
    async renew(signal) {
      // the token this tab wanted to replace; it may adopt a newer one while it waits
      const replacing = host.current()?.accessToken
      const work = async () => {
        const stored = host.read(await storage.get())
        if (stored && replacing && stored.accessToken !== replacing && host.isFresh(stored)) {
          return { session: stored, source: 'other-tab' as const }
        }
        const presented = host.current()?.refreshToken ?? null
        const session = host.build(await host.spend(presented, signal), presented)
        // stored before the lock is released, so the next tab sees it
        if (!signal.aborted) await host.save(toStoredSession(session))
        return { session, source: 'this-tab' as const }
      }
      return storage.lock ? storage.lock(work) : work()
    },
    publish: (_change, _session, save) => save(),
    close: stop,
  }
}
