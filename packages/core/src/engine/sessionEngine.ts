import type { Engine } from './engine'
import type { TabsLink } from './extensions'
import { createLifecycle } from './lifecycle'
import { createLocalRefresh } from './localRefresh'
import { type AuthOptions, resolveAuthOptions } from './options'
import { restoreSession } from './restore'
import { refreshMarginFor, toStoredSession } from './session'
import { buildSession, createSessionCore, type SessionCore, storedSession } from './sessionCore'
import { createSessionRefresh } from './sessionRefresh'
import { createTransportEngine, obtainSession } from './transportEngine'
import type { SessionControls } from './types'

/**
 * The session engine: tokens, expiry and skew, one refresh at a time, the queue of
 * requests waiting for it, storage, tabs and events. It knows nothing of HTTP clients:
 * `auth` is what the app calls, `engine` what transports plug into.
 */
export function createSessionEngine(options: AuthOptions): {
  auth: SessionControls
  engine: Engine
} {
  const core = createSessionCore(resolveAuthOptions(options))
  const { config, store, events } = core
  const name = core.storage.id ?? 'default'
  core.dpop =
    config.dpop?.({
      name,
      now: () => config.now() + (core.session?.clockOffset ?? 0),
      events,
    }) ?? null
  const detachers = new Set<() => void>()

  // the parts need one another: each reads the others only when called, never while built
  let tabs: TabsLink | null = null
  const local = createLocalRefresh(core, () => coordinator.isRefreshing)
  const coordinator = createSessionRefresh(
    core,
    (signal) => (tabs ? tabs.renew(signal) : local.renew(signal)),
    (error) => lifecycle.expire(error),
  )
  const lifecycle = createLifecycle(core, coordinator, () => tabs)
  tabs = config.tabs ? config.tabs({ core, local, lifecycle }) : null
  core.timer = config.autoRefresh?.(timerHost(core, () => coordinator.refresh('timer'))) ?? null
  const restore = restoreSession(core)
  const engine = createTransportEngine(core, coordinator, local, restore, detachers)

  const auth: SessionControls = {
    async setTokens(tokens) {
      const next = buildSession(core, tokens, null)
      lifecycle.begin(next, 'A new session started while the refresh ran')
      await lifecycle.publish('login', toStoredSession(next), () =>
        core.save(toStoredSession(next)),
      )
    },

    async logout() {
      const ended = storedSession(core)
      lifecycle.endLocally('logged out')
      await lifecycle.publish('logout', ended, core.remove)
      // a token copied before the logout is useless without the key
      await core.dpop?.clear()
    },

    async refresh() {
      await restore.done
      return (await coordinator.refresh('manual')).accessToken
    },

    async getAccessToken() {
      const session = await obtainSession(core, coordinator, restore, (reason) =>
        coordinator.refresh(reason),
      )
      return session?.accessToken ?? null
    },

    getState: store.getState,
    subscribe: store.subscribe,
    on: events.on,
    restore: () => restore.done.then(store.getState),

    destroy() {
      tabs?.close()
      for (const detach of detachers) detach()
      detachers.clear()
      core.timer?.disarm()
      coordinator.abort('The auth object was destroyed')
      events.clear()
    },
  }
  return { auth, engine }
}

/** What the renewal timer asks: how long until the token is due, and to refresh. */
const timerHost = (core: SessionCore, refresh: () => Promise<unknown>) => ({
  msUntilDue() {
    const { session } = core
    if (!session || session.expiresAt === null || session.renewOnlyOnRejection) return null
    return (
      session.expiresAt - refreshMarginFor(session, core.config.refreshMarginMs) - core.config.now()
    )
  },
  refresh,
})
