import type { AccessTokenClaims, SessionControls } from '@retoken/core'
import type { ReactNode } from 'react'
import { AuthContext } from './AuthContext'
import { type AuthBinding, createAuthBinding } from './createAuthBinding'
import { createElement, useEffect, useState } from './react'
import type { LoginResult, RestoreStrategy } from './types'

/** Props of {@link AuthProvider}. */
export interface AuthProviderProps<User = unknown, Credentials = unknown> {
  /** The `createAuth()` (or `createSession()`) object that owns the session. */
  auth: SessionControls
  /** The app's login call: resolves with the tokens and, optionally, the user. */
  login?: (credentials: Credentials) => Promise<LoginResult<User>>
  /** The app's server-side logout (revocation); the local session is cleared even if it fails. */
  logout?: () => Promise<unknown>
  /**
   * How to resume a session on page load.
   * @default 'storage'
   */
  restore?: RestoreStrategy
  /**
   * Derives the user from access token claims when the login result has none (and after a restore).
   * @default (claims) => claims
   */
  getUser?: (claims: AccessTokenClaims) => User | null
  /** The tree that reads the session. */
  children?: ReactNode
}

/**
 * Makes the session available to `useAuth`, `useAuthState` and `RequireAuth` below it.
 * `login`, `logout` and `getUser` may change between renders (the latest are used); a
 * new `auth` object starts over with it; `restore` is read when the provider mounts.
 * @example
 * <AuthProvider auth={auth} login={(c) => api.post('/auth/login', c).then((r) => r.data)}>
 *   <App />
 * </AuthProvider>
 */
export function AuthProvider<User = unknown, Credentials = unknown>(
  props: AuthProviderProps<User, Credentials>,
) {
  const create = () => createAuthBinding<User, Credentials>(props)
  const [binding, setBinding] = useState(create)
  // a different auth object is a different session: React re-renders at once with it
  if (binding.auth !== props.auth) setBinding(create)
  useEffect(() => binding.start(), [binding])
  // after every commit, so calls made from event handlers see the latest props
  useEffect(() => binding.update(props))
  // createElement, not JSX: React's one import instead of a second from its jsx-runtime
  return createElement(
    AuthContext.Provider,
    { value: binding as AuthBinding<unknown, unknown> },
    props.children,
  )
}
