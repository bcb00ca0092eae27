import type { TabsLink, TabsPlugin } from '../engine/extensions'
import { RequestCanceledError } from '../engine/requestQueue'
import { type Session, toStoredSession } from '../engine/session'
import { createTabsHost } from '../engine/tabsHost'
import { RefreshFailedError } from '../errors/RefreshFailedError'
import { storageLink } from './storageLink'
import { createTabCoordinator } from './tabCoordinator'

/** Options of {@link coordinateTabs}. */
export interface CoordinateTabsOptions {
  /**
   * Scopes the coordination to one app when several apps share an origin.
   * @default the storage's `id`, else 'default'
   */
  name?: string
}

/**
 * Keeps the tabs of one app on one session: one refresh at a time across tabs (Web
 * Locks, or a lease in IndexedDB where they are missing), the new tokens handed over
 * through IndexedDB, logins and logouts followed. Two tabs presenting one rotated
 * refresh token would look like reuse and get the session revoked. Where the browser's
 * means are missing it uses the storage's own `lock` and `subscribe`, if any.
 * @example createAuth({ refresh, tabs: coordinateTabs({ name: 'my-app' }) })
 */
export function coordinateTabs(options: CoordinateTabsOptions = {}): TabsPlugin {
  return (engine) => {
    const host = createTabsHost(engine)
    const tabs = createTabCoordinator({
      name: options.name ?? host.name,
      sharing: host.sharing,
      leaseMs: host.leaseMs,
      now: host.now,
      lock: host.storage.lock?.bind(host.storage),
    })
    if (!tabs) return storageLink(engine, host)
    const stopFollowing = tabs.follow(host.current, host.follow)
    const fromStored = (value: unknown): Session => {
      const next = host.read(value)
      if (!next) throw new RefreshFailedError('Another tab handed over an unusable session')
      return next
    }
    const link: TabsLink = {
      async renew(signal) {
        const startedIn = host.epoch()
        let built: Session | null = null
        const replacing = host.current()?.accessToken ?? null
        const outcome = await tabs.refresh({
          signal,
          current: host.current,
          replacing,
          isFresh: (stored) => {
            const candidate = host.read(stored)
            return candidate !== null && host.isFresh(candidate)
          },
          spend: (refreshToken) => host.spend(refreshToken, signal),
          toStored(result, presented) {
            built = host.build(result, presented)
            return toStoredSession(built)
          },
          // a logout while the refresh ran must not leave its tokens for other tabs
          save: (next) => (signal.aborted ? Promise.resolve() : host.save(next)),
          late: (next, presented) => host.adoptLate(fromStored(next), presented, startedIn),
        })
        if (outcome.kind === 'loggedOut') {
          host.follow('logout', null)
          throw new RequestCanceledError(
            'The refresh was abandoned: the session ended in another tab',
          )
        }
        if (outcome.kind === 'refreshed' && built) return { session: built, source: 'this-tab' }
        return {
          session: fromStored(outcome.stored),
          source: outcome.kind === 'refreshed' ? 'this-tab' : 'other-tab',
        }
      },
      publish: tabs.publish,
      close() {
        stopFollowing()
        tabs.close()
      },
    }
    return link
  }
}
