import { shallowEqual } from './shallowEqual'
import type { AuthSnapshot } from './types'
import { useAuthBinding } from './useAuthBinding'
import { useAuthState } from './useAuthState'

/** Everything `useAuth()` returns: the session and the actions on it. */
export interface UseAuthResult<User = unknown, Credentials = unknown>
  extends Pick<
    AuthSnapshot<User>,
    'status' | 'isAuthenticated' | 'isLoading' | 'user' | 'claims' | 'error'
  > {
  /** Calls the provider's `login`; rejects with the server's message, which also lands in `error`. */
  login(credentials: Credentials): Promise<void>
  /** Calls the provider's `logout`, then always clears the local session. */
  logout(): Promise<void>
  /** Refreshes now (or joins the refresh in flight); resolves with the new access token. */
  refresh(): Promise<string>
}

/**
 * The session and its actions. Re-renders when any of the returned fields change;
 * use {@link useAuthState} to subscribe to less.
 * @example const { status, user, login, logout } = useAuth()
 */
export function useAuth<User = unknown, Credentials = unknown>(): UseAuthResult<User, Credentials> {
  const binding = useAuthBinding<User, Credentials>('useAuth')
  return { ...useAuthState(pickPublic<User>, shallowEqual), ...binding.actions }
}

// useAuth leaves out the token and isRefreshing, so a silent refresh re-renders it only
// when the claims change
const pickPublic = <User>({
  accessToken,
  expiresAt,
  isRefreshing,
  ...session
}: AuthSnapshot<User>) => session
