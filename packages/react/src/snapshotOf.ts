import type { AuthState } from '@retoken/core'
import type { AuthSnapshot, AuthUiStatus } from './types'

/** The frozen snapshot for `status`: the session's fields only when it is shown as authenticated. */
export function snapshotOf<User>(
  status: AuthUiStatus,
  loggingIn = false,
  core?: AuthState,
  // no default: a `getUser` that returns `undefined` shows as such
  user?: User | null,
  error: Error | null = null,
): AuthSnapshot<User> {
  const shown = status === 'authenticated'
  return Object.freeze({
    status,
    isAuthenticated: shown,
    isLoading: status === 'restoring' || loggingIn,
    user: shown ? (user as User | null) : null,
    claims: shown ? core!.claims : null,
    accessToken: shown ? core!.accessToken : null,
    expiresAt: shown ? core!.expiresAt : null,
    isRefreshing: core ? core.isRefreshing : false,
    error,
  })
}
