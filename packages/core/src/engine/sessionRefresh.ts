import type { SessionExpiredError } from '../errors/SessionExpiredError'
import { isFatalRefreshError } from './classifyRefreshError'
import type { Renewal } from './extensions'
import { createRefreshCoordinator, type RefreshCoordinator } from './refreshCoordinator'
import type { Session } from './session'
import { replaceSession, type SessionCore } from './sessionCore'

/**
 * The single-flight refresh of one session: puts the renewed session in place, tells
 * the state and the events, and releases or fails the queue. `expire` ends the
 * session when the refresh token was rejected.
 */
export function createSessionRefresh(
  core: SessionCore,
  renew: (signal: AbortSignal) => Promise<Renewal>,
  expire: (error: SessionExpiredError) => void,
): RefreshCoordinator<Session> {
  const { store, events, queue, config } = core
  let lastSource: Renewal['source'] = 'this-tab'
  return createRefreshCoordinator<Session, Renewal>({
    callRefresh: renew,
    commit({ session: next, source }) {
      replaceSession(core, next, { error: null })
      lastSource = source
      return next
    },
    expire,
    epoch: () => core.epoch,
    isFatal: config.isFatalRefreshError ?? isFatalRefreshError,
    timeoutMs: config.refreshTimeoutMs,
    onStart(reason) {
      store.setState({ isRefreshing: true })
      events.emit('refreshStarted', { reason })
    },
    onSettled(outcome) {
      store.setState({ isRefreshing: false })
      if ('session' in outcome) {
        events.emit('refreshSucceeded', {
          accessToken: outcome.session.accessToken,
          source: lastSource,
        })
        if (lastSource === 'other-tab') events.emit('tabSync', { change: 'refresh' })
        queue.release(outcome.session)
      } else {
        const fatal = outcome.error.name === 'SessionExpiredError'
        events.emit('refreshFailed', { error: outcome.error, fatal })
        queue.rejectAll(outcome.error)
      }
    },
  })
}
