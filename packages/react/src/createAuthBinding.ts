import type { AccessTokenClaims, AuthState, SessionControls } from '@retoken/core'
import { noLogin } from '#dev'
import { restoredAuths, restoreSession } from './restoreSession'
import { serverMessage } from './serverMessage'
import { shallowEqual } from './shallowEqual'
import { snapshotOf } from './snapshotOf'
import type { AuthSnapshot, LoginResult, RestoreStrategy } from './types'

/** The app's calls, which `AuthProvider` keeps current with {@link AuthBinding.update}. */
export interface AuthHandlers<User, Credentials> {
  login?: ((credentials: Credentials) => Promise<LoginResult<User>>) | undefined
  logout?: (() => Promise<unknown>) | undefined
  getUser?: ((claims: AccessTokenClaims) => User | null) | undefined
}

/** What `AuthProvider` passes down; a plain object so the binding stays framework-free. */
export interface AuthBindingOptions<User, Credentials> extends AuthHandlers<User, Credentials> {
  auth: SessionControls
  restore?: RestoreStrategy | undefined
}

/** The provider's store: the core state plus what only the UI knows (restoring, user, errors). */
export interface AuthBinding<User = unknown, Credentials = unknown> {
  /** The `createAuth()` object this binding reads. */
  readonly auth: SessionControls
  getSnapshot(): AuthSnapshot<User>
  getServerSnapshot(): AuthSnapshot<User>
  subscribe(listener: () => void): () => void
  /** Starts listening to session events and restores once per `auth`; returns the cleanup. */
  start(): () => void
  /** What `useAuth()` hands out beside the session: one object, so it is spread in one go. */
  readonly actions: {
    login(credentials: Credentials): Promise<void>
    logout(): Promise<void>
    refresh(): Promise<string>
  }
  /** Takes the latest props' calls (`login`, `logout`, `getUser`), so event handlers use them. */
  update(handlers: AuthHandlers<User, Credentials>): void
}

/** Creates the store `AuthProvider` exposes through `useSyncExternalStore`. */
export function createAuthBinding<User, Credentials>(
  options: AuthBindingOptions<User, Credentials>,
): AuthBinding<User, Credentials> {
  const { auth, restore = 'storage' } = options
  let handlers: AuthHandlers<User, Credentials> = options
  const userOf = ({ claims }: AuthState) =>
    claims ? (handlers.getUser ? handlers.getUser(claims) : (claims as User)) : null
  const listeners = new Set<() => void>()

  // What only the UI knows, as plain variables (shorter once minified than an object's
  // properties); each change forgets which core state the snapshot was built from, so the
  // next read rebuilds it.
  let restored = restore === 'none' || restoredAuths.has(auth)
  let loggingIn = false
  let user: User | null = null
  /** Whose user `user` is (`sub`), so a refreshed token keeps the same user object. */
  let userSub: string | null = null
  let error: Error | null = null
  // the last snapshot, and the core state it was built from
  let snapshot: AuthSnapshot<User> | undefined
  let snapshotCore: AuthState | undefined
  const changed = () => {
    snapshotCore = undefined
    for (const listener of [...listeners]) listener()
  }

  // the user a login returned, while setTokens notifies: nobody sees the claims-derived one
  let loginResult: LoginResult<User> | null = null

  function getSnapshot(): AuthSnapshot<User> {
    const core = auth.getState()
    if (snapshotCore === core) return snapshot!
    const session = core.status === 'authenticated'
    const sub = session ? subOf(core) : null
    // derived, and remembered without notifying so the next refresh finds it
    user = !session
      ? null
      : loginResult
        ? (loginResult.user as User)
        : // a silent refresh keeps the same user object, so components reading it do not re-render
          user !== null && userSub === sub
          ? user
          : userOf(core)
    userSub = sub
    const next = snapshotOf(restored ? core.status : 'restoring', loggingIn, core, user, error)
    if (!snapshot || !shallowEqual(snapshot, next)) snapshot = next
    snapshotCore = core
    return snapshot
  }

  // Server and hydrating client agree on this one: storage is only read after mount.
  // Without a restore there is nothing to wait for, so both show the session as it is.
  const serverSnapshot = snapshotOf<User>('restoring')

  return {
    auth,
    getSnapshot,
    getServerSnapshot: restore === 'none' ? getSnapshot : () => serverSnapshot,
    subscribe(listener) {
      listeners.add(listener)
      const unsubscribe = auth.subscribe(listener)
      return () => {
        listeners.delete(listener)
        unsubscribe()
      }
    },
    start() {
      const offExpired = auth.on('sessionExpired', (event) => {
        // while restoring, an expired stored session is just "logged out"
        if (restored) {
          error = event.error
          changed()
        }
      })
      let active = true
      if (!restored) {
        void restoreSession(auth, restore).then(() => {
          if (active) {
            restored = true
            changed()
          }
        })
      }
      return () => {
        active = false
        offExpired()
      }
    },
    actions: {
      async login(credentials) {
        const { login } = handlers
        if (!login) throw new Error(noLogin)
        loggingIn = true
        error = null
        changed()
        try {
          const result = await login(credentials)
          if (result.user !== undefined) loginResult = result
          try {
            await auth.setTokens(result)
          } finally {
            loginResult = null
          }
          const core = auth.getState()
          user = result.user ?? userOf(core)
          userSub = subOf(core)
          loggingIn = false
          restored = true
          changed()
        } catch (cause) {
          error = new Error(serverMessage(cause), { cause })
          loggingIn = false
          changed()
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
          user = null
          userSub = null
          error = null
          changed()
        }
      },
      refresh: () => auth.refresh(),
    },
    update(next) {
      handlers = next
    },
  }
}

/** Whose session it is (the `sub` claim), so a refreshed token keeps the same user object. */
const subOf = ({ claims }: AuthState) => (typeof claims?.sub === 'string' ? claims.sub : null)
