import { CanceledError, type InternalAxiosRequestConfig } from 'axios'
import { attachInterceptors } from './attach'
import { AutoRefresh } from './autoRefresh'
import { isFatalRefreshError } from './classifyRefreshError'
import { logTimeline } from './debugLog'
import { createEmitter } from './emitter'
import { isRefreshFailedError, RefreshFailedError } from './errors/RefreshFailedError'
import type { SessionExpiredError } from './errors/SessionExpiredError'
import { type AuthOptions, resolveAuthOptions } from './options'
import { followOtherTabs, refreshAcrossTabs } from './otherTabs'
import { redactSecret } from './redactSecret'
import { RefreshCoordinator, RefreshTimeoutError } from './refreshCoordinator'
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
import { createTabCoordinator } from './tabs/tabCoordinator'
import type { Auth, AuthEvents, AuthState, RefreshResult, StoredSession } from './types'

/** What one refresh produced: the new session, and which tab called the server for it. */
interface Renewal {
  session: Session
  source: 'this-tab' | 'other-tab'
}

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
  let lastSource: Renewal['source'] = 'this-tab'

  const timing = () => ({
    now: config.now(),
    clockToleranceMs: config.clockToleranceMs,
    tokenFormat: config.tokenFormat,
    refreshMarginMs: config.refreshMarginMs,
  })

  // Writes run one after another, so a slow set() can never land after a later remove().
  // A storage that fails (quota, private mode) must not break the session in memory.
  let writes: Promise<void> = Promise.resolve()
  const persist = (work: () => void | Promise<void>): Promise<void> => {
    writes = writes.then(work).catch(() => {})
    return writes
  }
  const sharing = storage.sharing ?? (storage.subscribe ? 'tabs' : 'none')
  const tabs =
    config.tabs === false
      ? null
      : createTabCoordinator({
          name: config.tabs.name,
          sharing,
          // the lock outlives a timed-out call, so its late answer is recorded, not lost
          leaseMs: config.refreshTimeoutMs + 10_000,
          now: config.now,
          lock: storage.lock?.bind(storage),
        })
  const stored = (): StoredSession | null => (session ? toStoredSession(session) : null)

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
    const ended = stored()
    epoch += 1
    replaceSession(null)
    const remove = () => persist(() => storage.remove())
    return tabs ? tabs.publish('logout', ended, remove) : remove()
  }

  /** Calls the user's refresh; whatever it throws is cleaned of the refresh token first. */
  function spend(refreshToken: string | null, signal: AbortSignal): Promise<RefreshResult> {
    insideRefreshCall = true
    try {
      return new Promise<RefreshResult>((resolve) =>
        resolve(config.refresh({ refreshToken, signal })),
      ).catch((error: unknown) => {
        throw redactSecret(error, refreshToken)
      })
    } finally {
      insideRefreshCall = false
    }
  }

  const fromStored = (value: StoredSession) => {
    const next = sessionFromStorage(value, config.tokenFormat)
    if (!next) throw new RefreshFailedError('Another tab handed over an unusable session')
    return next
  }

  /** A refresh that answered after its timeout rotated the token: keep what it returned. */
  function adoptLate(next: Session, presented: string | null, startedIn: number): boolean {
    if (epoch !== startedIn || coordinator.isRefreshing) return false
    if ((session?.refreshToken ?? null) !== presented) return false
    replaceSession(next, { error: null })
    events.emit('refreshSucceeded', { accessToken: next.accessToken, source: 'this-tab' })
    return true
  }

  async function renew(signal: AbortSignal): Promise<Renewal> {
    const startedIn = epoch
    if (!tabs) {
      if (storage.lock) {
        // a custom storage's own lock (another process, say): the older hand-over through storage
        const result = await refreshAcrossTabs({
          storage,
          tokenFormat: config.tokenFormat,
          current: () => session,
          isFresh: (s) => !isDueForRenewal(s, config.now(), config.refreshMarginMs),
          now: config.now,
          refresh: () => spend(session?.refreshToken ?? null, signal),
          async save(result) {
            if (signal.aborted) return
            const next = sessionFromTokens(result, session?.refreshToken ?? null, timing())
            await persist(() => storage.set(toStoredSession(next)))
          },
        })
        return {
          session: sessionFromTokens(result, session?.refreshToken ?? null, timing()),
          source: 'this-tab',
        }
      }
      const presented = session?.refreshToken ?? null
      const call = spend(presented, signal)
      call.then(
        (result) => {
          if (!(signal.reason instanceof RefreshTimeoutError)) return
          const next = sessionFromTokens(result, presented, timing())
          if (adoptLate(next, presented, startedIn)) {
            void persist(() => storage.set(toStoredSession(next)))
          }
        },
        () => {},
      )
      const next = sessionFromTokens(await call, presented, timing())
      // a logout while the refresh ran must not find its tokens stored afterwards
      if (!signal.aborted) void persist(() => storage.set(toStoredSession(next)))
      return { session: next, source: 'this-tab' }
    }
    const replacing = session?.accessToken ?? null
    let built: Session | null = null
    const outcome = await tabs.refresh({
      signal,
      current: stored,
      replacing,
      isFresh: (s) => {
        const candidate = sessionFromStorage(s, config.tokenFormat)
        return (
          candidate !== null && !isDueForRenewal(candidate, config.now(), config.refreshMarginMs)
        )
      },
      spend: (refreshToken) => spend(refreshToken, signal),
      toStored(result, presented) {
        built = sessionFromTokens(result, presented, timing())
        return toStoredSession(built)
      },
      // a logout while the refresh ran must not leave its tokens for other tabs
      save: (next) => (signal.aborted ? Promise.resolve() : persist(() => storage.set(next))),
      late: (next, presented) => adoptLate(fromStored(next), presented, startedIn),
    })
    if (outcome.kind === 'loggedOut') {
      followLogout()
      throw voidedByOtherTab()
    }
    const next = outcome.kind === 'refreshed' && built ? built : fromStored(outcome.stored)
    return { session: next, source: outcome.kind === 'refreshed' ? 'this-tab' : 'other-tab' }
  }

  const coordinator: RefreshCoordinator<Session, Renewal> = new RefreshCoordinator<
    Session,
    Renewal
  >({
    callRefresh: renew,
    commit({ session: next, source }) {
      replaceSession(next, { error: null })
      lastSource = source
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

  const timer = new AutoRefresh({
    msUntilDue() {
      if (!session || session.expiresAt === null || session.renewOnlyOnRejection) return null
      const margin = refreshMarginFor(session, config.refreshMarginMs)
      return session.expiresAt - margin - config.now()
    },
    refresh: () => coordinator.refresh('timer'),
    wake: config.wake,
  })
  const stopLogging = config.debug ? logTimeline(events, config.debug) : null

  const adoptStored = (value: unknown) => {
    const restored = sessionFromStorage(value, config.tokenFormat)
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

  function followLogout() {
    if (!session) return
    endLocally('logged out in another tab')
    events.emit('tabSync', { change: 'logout' })
  }

  function followLogin(next: Session) {
    epoch += 1
    coordinator.abort('A new session started in another tab')
    replaceSession(next, { error: null, isRefreshing: false })
    queue.release(next)
    events.emit('loggedIn', { accessToken: next.accessToken })
    events.emit('tabSync', { change: 'login' })
  }

  // another tab logged in, refreshed or logged out
  const stopFollowing = tabs
    ? tabs.follow(stored, (change, value) => {
        if (change === 'logout' || value === null) return followLogout()
        const next = sessionFromStorage(value, config.tokenFormat)
        if (!next || next.accessToken === session?.accessToken) return
        if (change === 'login' || !session) return followLogin(next)
        replaceSession(next, { error: null })
        events.emit('refreshSucceeded', { accessToken: next.accessToken, source: 'other-tab' })
        events.emit('tabSync', { change: 'refresh' })
      })
    : followOtherTabs(storage, config.tokenFormat, (value) => {
        if (value === null) followLogout()
        else if (!session) followLogin(value)
        else if (value.accessToken !== session.accessToken) replaceSession(value, { error: null })
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
      const save = () => persist(() => storage.set(toStoredSession(next)))
      await (tabs ? tabs.publish('login', toStoredSession(next), save) : save())
    },

    async logout() {
      const ended = stored()
      endLocally('logged out')
      const remove = () => persist(() => storage.remove())
      await (tabs ? tabs.publish('logout', ended, remove) : remove())
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
      stopLogging?.()
      tabs?.close()
      for (const detach of detachers) detach()
      detachers.clear()
      timer.disarm()
      coordinator.abort('The auth object was destroyed')
      events.clear()
    },
  }
}

/** Another tab ended the session while this one waited to refresh it. */
function voidedByOtherTab(): CanceledError<never> {
  return new CanceledError('The refresh was abandoned: the session ended in another tab')
}
