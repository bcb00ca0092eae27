import { CanceledError, type InternalAxiosRequestConfig } from 'axios'
import { attachInterceptors } from './attach'
import { AutoRefresh } from './autoRefresh'
import { isFatalRefreshError } from './classifyRefreshError'
import { createEmitter } from './emitter'
import { isRefreshFailedError } from './errors/RefreshFailedError'
import type { SessionExpiredError } from './errors/SessionExpiredError'
import { type AuthOptions, resolveAuthOptions } from './options'
import { followOtherTabs, refreshAcrossTabs } from './otherTabs'
import { RefreshCoordinator } from './refreshCoordinator'
import { RequestQueue } from './requestQueue'
import {
  isDueForRenewal,
  isExpired,
  refreshMarginFor,
  type Session,
  sessionFromStorage,
  sessionFromTokens,
  toStoredSession,
} from './session'
import { memoryStorage, readStorage } from './storage'
import { createStore } from './store'
import type { Auth, AuthEvents, AuthState, RefreshResult } from './types'

const LOGGED_OUT: AuthState = {
  status: 'unauthenticated',
  accessToken: null,
  claims: null,
  expiresAt: null,
  isRefreshing: false,
  error: null,
}

/**
 * Creates the object that owns one session.
 * @example
 * const auth = createAuth({
 *   refresh: async ({ refreshToken, signal }) =>
 *     (await axios.post('/auth/refresh', { refreshToken }, { signal })).data,
 * })
 * auth.attach(api)
 */
export function createAuth(options: AuthOptions): Auth {
  const config = resolveAuthOptions(options)
  const storage = config.storage ?? memoryStorage()
  const store = createStore<AuthState>(LOGGED_OUT)
  const events = createEmitter<AuthEvents>()
  const queue = new RequestQueue<Session>()
  const detachers = new Set<() => void>()

  let session: Session | null = null
  let generation = 0 // which access token: bumps on every change
  let epoch = 0 // which session: bumps on login, logout and expiry
  let insideRefreshCall = false

  const timing = () => ({
    now: config.now(),
    clockToleranceMs: config.clockToleranceMs,
    tokenFormat: config.tokenFormat,
    refreshMarginMs: config.refreshMarginMs,
  })

  const persist = (work: () => void | Promise<void>) => {
    // a storage that fails (quota, private mode) must not break the session in memory
    return Promise.resolve()
      .then(work)
      .catch(() => {})
  }

  function replaceSession(next: Session | null, patch: Partial<AuthState> = {}) {
    session = next
    generation += 1
    store.setState({
      status: next ? 'authenticated' : 'unauthenticated',
      accessToken: next?.accessToken ?? null,
      claims: next?.claims ?? null,
      expiresAt: next?.expiresAt ?? null,
      ...patch,
    })
    if (config.autoRefresh) timer.arm()
  }

  function endSession() {
    epoch += 1
    replaceSession(null)
    return persist(() => storage.remove())
  }

  const coordinator: RefreshCoordinator<Session> = new RefreshCoordinator<Session>({
    callRefresh: (signal) =>
      refreshAcrossTabs({
        storage,
        tokenFormat: config.tokenFormat,
        current: () => session,
        isFresh: (stored) => !isDueForRenewal(stored, config.now(), config.refreshMarginMs),
        now: config.now,
        refresh() {
          insideRefreshCall = true
          try {
            return config.refresh({ refreshToken: session?.refreshToken ?? null, signal })
          } finally {
            insideRefreshCall = false
          }
        },
        async save(result) {
          // a logout while the refresh ran must not leave its tokens for other tabs
          if (signal.aborted) return
          const next = sessionFromTokens(result, session?.refreshToken ?? null, timing())
          await storage.set(toStoredSession(next))
        },
      }),
    commit(result: RefreshResult) {
      const next = sessionFromTokens(result, session?.refreshToken ?? null, timing())
      replaceSession(next, { error: null })
      // a storage with a lock was written inside it, before other tabs could look
      if (!storage.lock) void persist(() => storage.set(toStoredSession(next)))
      return next
    },
    expire(error: SessionExpiredError) {
      void endSession()
      store.setState({ error })
      events.emit('sessionExpired', { error })
    },
    epoch: () => epoch,
    isFatal: config.isFatalRefreshError ?? isFatalRefreshError,
    timeoutMs: config.refreshTimeoutMs,
    onStart(reason) {
      store.setState({ isRefreshing: true })
      events.emit('refreshStarted', { reason })
    },
    onSettled(outcome) {
      store.setState({ isRefreshing: false })
      if ('session' in outcome) {
        events.emit('refreshSucceeded', { accessToken: outcome.session.accessToken })
        queue.release(outcome.session)
      } else {
        const fatal = outcome.error.name === 'SessionExpiredError'
        events.emit('refreshFailed', { error: outcome.error, fatal })
        queue.rejectAll(outcome.error)
      }
    },
  })

  const timer = new AutoRefresh({
    msUntilDue() {
      if (!session || session.expiresAt === null || session.renewOnlyOnRejection) return null
      const margin = refreshMarginFor(session, config.refreshMarginMs)
      return session.expiresAt - margin - config.now()
    },
    refresh: () => coordinator.refresh('timer'),
  })

  const adoptStored = (stored: unknown) => {
    const restored = sessionFromStorage(stored, config.tokenFormat)
    // a login that happened while an async storage was read wins over what it held
    if (restored && session === null && epoch === 0) replaceSession(restored)
  }
  // synchronous storages are read at once, so the very first snapshot is right
  const restoring: Promise<void> = readStorage(storage, adoptStored)

  /** Ends the session here: voids a refresh in flight and cancels what waits for it. */
  function endLocally(reason: string) {
    epoch += 1
    coordinator.abort(reason)
    replaceSession(null, { isRefreshing: false, error: null })
    queue.rejectAll(new CanceledError(`Request canceled: ${reason}`))
    events.emit('loggedOut', {})
  }

  // another tab logged in, refreshed or logged out
  const stopFollowing = followOtherTabs(storage, config.tokenFormat, (stored) => {
    if (stored === null) {
      if (session) endLocally('logged out in another tab')
    } else if (stored.accessToken !== session?.accessToken) {
      replaceSession(stored, { error: null })
    }
  })

  function waitForRefresh(
    request: InternalAxiosRequestConfig,
    reason: Parameters<typeof coordinator.refresh>[0],
  ) {
    const waiting = queue.wait(request.signal)
    events.emit('requestQueued', { config: request })
    // the outcome reaches this request through the queue
    coordinator.refresh(reason).catch(() => {})
    return waiting
  }

  return {
    attach(instance, attachOptions) {
      const detach = attachInterceptors(
        instance,
        {
          restored: () => restoring,
          session: () => session,
          generation: () => generation,
          isRefreshing: () => coordinator.isRefreshing,
          isRefreshCall: (request) =>
            insideRefreshCall ||
            (coordinator.signal !== null && request.signal === coordinator.signal),
          waitForRefresh,
          isDueForRenewal: (s) => isDueForRenewal(s, config.now(), config.refreshMarginMs),
          isExpired: (s) => isExpired(s, config.now()),
          onRetry: (request) => events.emit('requestRetried', { config: request }),
        },
        attachOptions,
      )
      detachers.add(detach)
      return () => {
        detachers.delete(detach)
        detach()
      }
    },

    async setTokens(tokens) {
      const next = sessionFromTokens(tokens, null, timing())
      epoch += 1
      coordinator.abort('A new session started while the refresh ran')
      replaceSession(next, { error: null, isRefreshing: false })
      queue.release(next)
      events.emit('loggedIn', { accessToken: next.accessToken })
      await persist(() => storage.set(toStoredSession(next)))
    },

    async logout() {
      endLocally('logged out')
      await persist(() => storage.remove())
    },

    async refresh() {
      await restoring
      return (await coordinator.refresh('manual')).accessToken
    },

    async getAccessToken() {
      await restoring
      const current = session
      if (coordinator.isRefreshing) return (await coordinator.refresh('expiring')).accessToken
      if (!current || !isDueForRenewal(current, config.now(), config.refreshMarginMs)) {
        return current?.accessToken ?? null
      }
      try {
        return (await coordinator.refresh('expiring')).accessToken
      } catch (error) {
        // a renewal that failed for now still leaves a token that works until it expires
        if (isRefreshFailedError(error) && !isExpired(current, config.now())) {
          return current.accessToken
        }
        throw error
      }
    },

    getState: store.getState,
    subscribe: store.subscribe,
    on: events.on,
    restore: () => restoring.then(store.getState),

    destroy() {
      stopFollowing()
      for (const detach of detachers) detach()
      detachers.clear()
      timer.disarm()
      coordinator.abort('The auth object was destroyed')
      events.clear()
    },
  }
}
