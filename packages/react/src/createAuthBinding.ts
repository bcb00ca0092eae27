import type { AccessTokenClaims, Auth, AuthState } from '@retoken/core'
import { noLogin } from '#dev'
import { serverMessage } from './serverMessage'
import type { AuthSnapshot, LoginResult, RestoreStrategy } from './types'

/** The app's calls, which `AuthProvider` keeps current with {@link AuthBinding.setHandlers}. */
export interface AuthHandlers<User, Credentials> {
  login?: ((credentials: Credentials) => Promise<LoginResult<User>>) | undefined
  logout?: (() => Promise<unknown>) | undefined
  getUser?: ((claims: AccessTokenClaims) => User | null) | undefined
}

/** What `AuthProvider` passes down; a plain object so the binding stays framework-free. */
export interface AuthBindingOptions<User, Credentials> extends AuthHandlers<User, Credentials> {
  auth: Auth
  restore?: RestoreStrategy | undefined
}

/** The provider's store: the core state plus what only the UI knows (restoring, user, errors). */
export interface AuthBinding<User = unknown, Credentials = unknown> {
  /** The `createAuth()` object this binding reads. */
  readonly auth: Auth
  getSnapshot(): AuthSnapshot<User>
  getServerSnapshot(): AuthSnapshot<User>
  subscribe(listener: () => void): () => void
  /** Starts listening to session events and restores once per `auth`; returns the cleanup. */
  start(): () => void
  login(credentials: Credentials): Promise<void>
  logout(): Promise<void>
  refresh(): Promise<string>
  /** Replaces the app's calls, so the latest props are used. */
  setHandlers(handlers: AuthHandlers<User, Credentials>): void
}

interface LocalState<User> {
  restored: boolean
  loggingIn: boolean
  user: User | null
  /** Whose user `user` is (`sub`), so a refreshed token keeps the same user object. */
  userSub: string | null
  error: Error | null
}

interface Restore {
  promise: Promise<void>
  done: boolean
}

// One restore per auth object, however many providers mount it (StrictMode mounts twice,
// routes remount): a second silent refresh would spend a rotated cookie for nothing.
const restores = new WeakMap<Auth, Restore>()

/** Creates the store `AuthProvider` exposes through `useSyncExternalStore`. */
export function createAuthBinding<User, Credentials>(
  options: AuthBindingOptions<User, Credentials>,
): AuthBinding<User, Credentials> {
  const { auth, restore = 'storage' } = options
  let handlers: AuthHandlers<User, Credentials> = options
  const getUser = (claims: AccessTokenClaims) =>
    handlers.getUser ? handlers.getUser(claims) : (claims as User)
  const listeners = new Set<() => void>()
  let local: LocalState<User> = {
    // a provider mounted again over a restored auth shows the session at once
    restored: restore === 'none' || restores.get(auth)?.done === true,
    loggingIn: false,
    user: null,
    userSub: null,
    error: null,
  }
  let cache: { core: AuthState; local: LocalState<User>; snapshot: AuthSnapshot<User> } | null =
    null

  const setLocal = (patch: Partial<LocalState<User>>) => {
    local = { ...local, ...patch }
    for (const listener of [...listeners]) listener()
  }

  // the user a login returned, while setTokens notifies: nobody sees the claims-derived one
  let loginUser: { user: User } | null = null

  function userFor(core: AuthState): Pick<LocalState<User>, 'user' | 'userSub'> {
    if (core.status !== 'authenticated') return { user: null, userSub: null }
    const sub = typeof core.claims?.sub === 'string' ? core.claims.sub : null
    if (loginUser) return { user: loginUser.user, userSub: sub }
    // a silent refresh keeps the same user object, so components reading it do not re-render
    if (local.user !== null && local.userSub === sub) return { user: local.user, userSub: sub }
    return { user: core.claims ? getUser(core.claims) : null, userSub: sub }
  }

  function getSnapshot(): AuthSnapshot<User> {
    const core = auth.getState()
    if (cache && cache.core === core && cache.local === local) return cache.snapshot
    const { user, userSub } = userFor(core)
    // remembered (without notifying: it is derived) so the next refresh finds it
    if (user !== local.user || userSub !== local.userSub) local = { ...local, user, userSub }
    const status = local.restored ? core.status : 'restoring'
    const next: AuthSnapshot<User> = {
      status,
      isAuthenticated: status === 'authenticated',
      isLoading: status === 'restoring' || local.loggingIn,
      user: status === 'authenticated' ? user : null,
      claims: status === 'authenticated' ? core.claims : null,
      accessToken: status === 'authenticated' ? core.accessToken : null,
      expiresAt: status === 'authenticated' ? core.expiresAt : null,
      isRefreshing: core.isRefreshing,
      error: local.error,
    }
    const previous = cache?.snapshot
    const snapshot = previous && shallowEqual(previous, next) ? previous : Object.freeze(next)
    cache = { core, local, snapshot }
    return snapshot
  }

  // Server and hydrating client agree on this one: storage is only read after mount.
  const serverSnapshot: AuthSnapshot<User> = Object.freeze({
    status: restore === 'none' ? 'unauthenticated' : 'restoring',
    isAuthenticated: false,
    isLoading: restore !== 'none',
    user: null,
    claims: null,
    accessToken: null,
    expiresAt: null,
    isRefreshing: false,
    error: null,
  })

  async function runRestore() {
    try {
      if (restore === 'storage') {
        await auth.restore()
        // renews a stored token that expired while the page was closed
        if (auth.getState().status === 'authenticated') await auth.getAccessToken()
      } else if (restore === 'refresh') {
        await auth.refresh()
      } else if (typeof restore === 'function') {
        await restore(auth)
      }
    } catch {
      // no session to resume is the normal case for a first visit, not an error to show
    }
  }

  return {
    auth,
    getSnapshot,
    getServerSnapshot: () => (restore === 'none' ? getSnapshot() : serverSnapshot),
    subscribe(listener) {
      listeners.add(listener)
      const unsubscribe = auth.subscribe(listener)
      return () => {
        listeners.delete(listener)
        unsubscribe()
      }
    },
    start() {
      const offExpired = auth.on('sessionExpired', ({ error }) => {
        // while restoring, an expired stored session is just "logged out"
        if (local.restored) setLocal({ error })
      })
      let active = true
      if (!local.restored) {
        void restoreOnce(auth, runRestore).then(() => {
          if (active) setLocal({ restored: true })
        })
      }
      return () => {
        active = false
        offExpired()
      }
    },
    async login(credentials) {
      const { login } = handlers
      if (!login) throw new Error(noLogin)
      setLocal({ loggingIn: true, error: null })
      try {
        const result = await login(credentials)
        if (result.user !== undefined) loginUser = { user: result.user }
        try {
          await auth.setTokens(result)
        } finally {
          loginUser = null
        }
        const core = auth.getState()
        const sub = typeof core.claims?.sub === 'string' ? core.claims.sub : null
        const user = result.user ?? (core.claims ? getUser(core.claims) : null)
        setLocal({ loggingIn: false, restored: true, user, userSub: sub })
      } catch (cause) {
        const error = new Error(serverMessage(cause), { cause })
        setLocal({ loggingIn: false, error })
        throw error
      }
    },
    async logout() {
      try {
        await handlers.logout?.()
      } catch {
        // the local session ends even when the server cannot be told
      } finally {
        await auth.logout()
        setLocal({ user: null, userSub: null, error: null })
      }
    },
    refresh: () => auth.refresh(),
    setHandlers(next) {
      handlers = next
    },
  }
}

function restoreOnce(auth: Auth, run: () => Promise<void>): Promise<void> {
  const existing = restores.get(auth)
  if (existing) return existing.promise
  const entry: Restore = { done: false, promise: Promise.resolve() }
  entry.promise = run().then(() => {
    entry.done = true
  })
  restores.set(auth, entry)
  return entry.promise
}

function shallowEqual(a: object, b: object): boolean {
  const keys = Object.keys(a) as Array<keyof typeof a>
  return keys.every((key) => Object.is(a[key], b[key]))
}
