import { warnUncoordinatedCookie } from '#dev'
import type { SessionExpiredError } from '../errors/SessionExpiredError'
import type { TabsLink } from './extensions'
import type { RefreshCoordinator } from './refreshCoordinator'
import { RequestCanceledError } from './requestQueue'
import type { Session } from './session'
import { replaceSession, type SessionCore, storedSession } from './sessionCore'
import type { StoredSession } from './types'

/** How a session starts and ends, here or because another tab said so. */
export interface Lifecycle {
  /** Starts a session: a login here or in another tab. */
  begin(next: Session, reason: string): void
  /** Ends the session here: voids a refresh in flight and cancels what waits for it. */
  endLocally(reason: string): void
  /** The refresh token was rejected: the session ends, here and in the storage. */
  expire(error: SessionExpiredError): void
  /** Orders a login or logout with the other tabs (when coordinated), then runs `write`. */
  publish(
    change: 'login' | 'logout',
    value: StoredSession | null,
    write: () => Promise<void>,
  ): Promise<void>
}

/** Creates the lifecycle of one session; `tabs` is read late, as it needs the engine first. */
export function createLifecycle(
  core: SessionCore,
  coordinator: RefreshCoordinator<Session>,
  tabs: () => TabsLink | null,
): Lifecycle {
  const { store, events, queue } = core

  const publish: Lifecycle['publish'] = (change, value, write) => {
    const link = tabs()
    return link ? link.publish(change, value, write) : write()
  }

  return {
    begin(next, reason) {
      core.epoch += 1
      coordinator.abort(reason)
      replaceSession(core, next, { error: null, isRefreshing: false })
      queue.release(next)
      if (next.refreshToken === null && core.config.tabs === undefined) warnUncoordinatedCookie()
      events.emit('loggedIn', { accessToken: next.accessToken })
    },
    endLocally(reason) {
      core.epoch += 1
      coordinator.abort(reason)
      replaceSession(core, null, { isRefreshing: false, error: null })
      queue.rejectAll(new RequestCanceledError(`Request canceled: ${reason}`))
      events.emit('loggedOut', {})
    },
    expire(error) {
      const ended = storedSession(core)
      core.epoch += 1
      replaceSession(core, null)
      void publish('logout', ended, core.remove)
      store.setState({ error })
      events.emit('sessionExpired', { error })
    },
    publish,
  }
}
