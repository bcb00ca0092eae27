import { isRefreshFailedError } from '../errors/RefreshFailedError'
import type { SessionExpiredError } from '../errors/SessionExpiredError'
import { isFatalRefreshError } from './classifyRefreshError'
import { createEmitter } from './emitter'
import type { Engine, SignalLike } from './engine'
import type { Renewal, TabsHost } from './extensions'
import { memoryStorage, readStorage } from './memoryStorage'
import { type AuthOptions, resolveAuthOptions } from './options'
import { redactSecret } from './redactSecret'
import { createRefreshCoordinator, RefreshTimeoutError } from './refreshCoordinator'
import { createRequestQueue, RequestCanceledError } from './requestQueue'
import {
  isDueForRenewal,
  isExpired,
  refreshMarginFor,
  type Session,
  sessionFromStorage,
  sessionFromTokens,
  toStoredSession,
} from './session'
import { createStore } from './store'
import type {
  Auth,
  AuthEvents,
  AuthState,
  RefreshReason,
  RefreshResult,
  RequestSummary,
  StoredSession,
} from './types'

const LOGGED_OUT: AuthState = {
  status: 'unauthenticated',
  accessToken: null,
  claims: null,
  expiresAt: null,
  isRefreshing: false,
  error: null,
}

/** Everything of an `auth` but the transports, which plug into `engine`. */
export type EngineAuth = Omit<Auth, 'attach'>

/**
 * The session engine: tokens, expiry and skew, one refresh at a time, the queue of
 * requests waiting for it, storage, tabs and events. It knows nothing of HTTP clients.
 */
export function createSessionEngine(options: AuthOptions): { auth: EngineAuth; engine: Engine } {
  const config = resolveAuthOptions(options)
  const { now, tokenFormat, refreshMarginMs } = config
  const storage = config.storage ?? memoryStorage()
  const store = createStore<AuthState>(LOGGED_OUT)
  const events = createEmitter<AuthEvents>()
  const queue = createRequestQueue<Session>()
  const detachers = new Set<() => void>()

  let session: Session | null = null
  let generation = 0 // which access token: bumps on every change
  let epoch = 0 // which session: bumps on login, logout and expiry
  let insideRefreshCall = false
  let lastSource: Renewal['source'] = 'this-tab'
  let requestIds = 0

  const build = (result: RefreshResult, presented: string | null) =>
    sessionFromTokens(result, presented, {
      now: now(),
      clockToleranceMs: config.clockToleranceMs,
      tokenFormat,
      refreshMarginMs,
    })
  const isFresh = (s: Session) => !isDueForRenewal(s, now(), refreshMarginMs)
  const read = (value: unknown) => sessionFromStorage(value, tokenFormat)
  const stored = (): StoredSession | null => (session ? toStoredSession(session) : null)

  // Writes run one after another, so a slow set() can never land after a later remove().
  // A storage that fails (quota, private mode) must not break the session in memory.
  let writes: Promise<void> = Promise.resolve()
  const persist = (work: () => void | Promise<void>): Promise<void> => {
    writes = writes.then(work).catch(() => {})
    return writes
  }
  const save = (value: StoredSession) => persist(() => storage.set(value))
  const remove = () => persist(() => storage.remove())

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
    timer?.arm()
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

  /** A refresh that answered after its timeout rotated the token: keep what it returned. */
  function adoptLate(next: Session, presented: string | null, startedIn: number): boolean {
    if (epoch !== startedIn || coordinator.isRefreshing) return false
    if ((session?.refreshToken ?? null) !== presented) return false
    replaceSession(next, { error: null })
    events.emit('refreshSucceeded', { accessToken: next.accessToken, source: 'this-tab' })
    return true
  }

  /** Refreshes in this tab alone. */
  async function renewHere(signal: AbortSignal): Promise<Renewal> {
    const startedIn = epoch
    const presented = session?.refreshToken ?? null
    const call = spend(presented, signal)
    call.then(
      (result) => {
        if (!(signal.reason instanceof RefreshTimeoutError)) return
        const next = build(result, presented)
        if (adoptLate(next, presented, startedIn)) void save(toStoredSession(next))
      },
      () => {},
    )
    const next = build(await call, presented)
    // a logout while the refresh ran must not find its tokens stored afterwards
    if (!signal.aborted) void save(toStoredSession(next))
    return { session: next, source: 'this-tab' }
  }

  const coordinator = createRefreshCoordinator<Session, Renewal>({
    callRefresh: (signal) => (tabs ? tabs.renew(signal) : renewHere(signal)),
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

  /** Ends the session here: voids a refresh in flight and cancels what waits for it. */
  function endLocally(reason: string) {
    epoch += 1
    coordinator.abort(reason)
    replaceSession(null, { isRefreshing: false, error: null })
    queue.rejectAll(new RequestCanceledError(`Request canceled: ${reason}`))
    events.emit('loggedOut', {})
  }

  /** Starts a session: a login here or in another tab. */
  function begin(next: Session, reason: string) {
    epoch += 1
    coordinator.abort(reason)
    replaceSession(next, { error: null, isRefreshing: false })
    queue.release(next)
    if (next.refreshToken === null && config.tabs === undefined) warnUncoordinatedCookie()
    events.emit('loggedIn', { accessToken: next.accessToken })
  }

  function followLogout() {
    if (!session) return
    endLocally('logged out in another tab')
    events.emit('tabSync', { change: 'logout' })
  }

  function followLogin(next: Session) {
    begin(next, 'A new session started in another tab')
    events.emit('tabSync', { change: 'login' })
  }

  const tabsHost: TabsHost = {
    name: storage.id ?? 'default',
    sharing: storage.sharing ?? (storage.subscribe ? 'tabs' : 'none'),
    // the lock outlives a timed-out call, so its late answer is recorded, not lost
    leaseMs: config.refreshTimeoutMs + 10_000,
    now,
    storage,
    current: stored,
    read,
    isFresh,
    spend,
    build,
    save,
    epoch: () => epoch,
    adoptLate,
    follow(change, value) {
      if (change === 'logout' || value === null) return followLogout()
      const next = read(value)
      if (!next || next.accessToken === session?.accessToken) return
      if (change === 'login' || !session) return followLogin(next)
      replaceSession(next, { error: null })
      events.emit('refreshSucceeded', { accessToken: next.accessToken, source: 'other-tab' })
      events.emit('tabSync', { change: 'refresh' })
    },
  }
  const tabs = config.tabs ? config.tabs(tabsHost) : null
  const publish = (
    change: 'login' | 'logout',
    value: StoredSession | null,
    write: () => Promise<void>,
  ) => (tabs ? tabs.publish(change, value, write) : write())

  function endSession() {
    const ended = stored()
    epoch += 1
    replaceSession(null)
    return publish('logout', ended, remove)
  }

  const timer =
    config.autoRefresh?.({
      msUntilDue() {
        if (!session || session.expiresAt === null || session.renewOnlyOnRejection) return null
        return session.expiresAt - refreshMarginFor(session, refreshMarginMs) - now()
      },
      refresh: () => coordinator.refresh('timer'),
    }) ?? null

  // synchronous storages are read at once, so the very first snapshot is right
  const reading = readStorage(storage, (value) => {
    const next = read(value)
    // a login that happened while an async storage was read wins over what it held
    if (next && session === null && epoch === 0) replaceSession(next)
  })
  let restoring = reading !== null
  const restored = reading
    ? reading.then(() => {
        restoring = false
      })
    : Promise.resolve()

  function waitForRefresh(
    signal: SignalLike | undefined,
    request: RequestSummary,
    reason: RefreshReason,
  ) {
    const waiting = queue.wait(signal)
    events.emit('requestQueued', { request })
    // the outcome reaches this request through the queue
    coordinator.refresh(reason).catch(() => {})
    return waiting
  }

  /** The session to use now, renewed first when it is due; `wait` joins the refresh. */
  async function obtain(wait: (reason: RefreshReason) => Promise<Session>) {
    await restored
    const current = session
    // going out with the token being replaced would only earn a 401
    if (coordinator.isRefreshing) return wait('rejected')
    if (!current || isFresh(current)) return current
    try {
      return await wait('expiring')
    } catch (error) {
      // a renewal that failed for now still leaves a token that works until it expires
      if (!isRefreshFailedError(error) || isExpired(current, now())) throw error
      return current
    }
  }

  const engine: Engine = {
    events,
    ready() {
      if (restoring) return undefined
      const current = session
      if (coordinator.isRefreshing || (current && !isFresh(current))) return undefined
      return current
    },
    sessionFor: (signal, request) => obtain((reason) => waitForRefresh(signal, request, reason)),
    generation: () => generation,
    async afterRefusal(sent, signal, request) {
      if (!session && !coordinator.isRefreshing) return false
      // a request refused with an older token than the current one starts no refresh:
      // the token it needed is already here (or on its way)
      if (!session || generation === sent) await waitForRefresh(signal, request, 'rejected')
      return true
    },
    isRefreshCall: (signal) =>
      insideRefreshCall || (signal != null && signal === coordinator.signal),
    nextId: () => ++requestIds,
    track(detach) {
      detachers.add(detach)
      return () => {
        detachers.delete(detach)
        detach()
      }
    },
  }

  const auth: EngineAuth = {
    async setTokens(tokens) {
      const next = build(tokens, null)
      begin(next, 'A new session started while the refresh ran')
      await publish('login', toStoredSession(next), () => save(toStoredSession(next)))
    },

    async logout() {
      const ended = stored()
      endLocally('logged out')
      await publish('logout', ended, remove)
    },

    async refresh() {
      await restored
      return (await coordinator.refresh('manual')).accessToken
    },

    async getAccessToken() {
      return (await obtain((reason) => coordinator.refresh(reason)))?.accessToken ?? null
    },

    getState: store.getState,
    subscribe: store.subscribe,
    on: events.on,
    restore: () => restored.then(store.getState),

    destroy() {
      tabs?.close()
      for (const detach of detachers) detach()
      detachers.clear()
      timer?.disarm()
      coordinator.abort('The auth object was destroyed')
      events.clear()
    },
  }
  return { auth, engine }
}

let warnedUncoordinatedCookie = false

// An HttpOnly refresh cookie is one token for every tab: tabs that refresh on their
// own spend it twice and the server revokes the session. Said once, to developers.
function warnUncoordinatedCookie() {
  const mode = typeof process !== 'undefined' ? process.env?.NODE_ENV : undefined
  if (warnedUncoordinatedCookie || typeof window === 'undefined') return
  if (mode === 'production' || mode === 'test') return
  warnedUncoordinatedCookie = true
  console.warn(
    '[retoken] the refresh token is a cookie all tabs share, but the tabs are not coordinated: pass tabs: coordinateTabs(), or tabs: false if the app never runs in two tabs.',
  )
}
