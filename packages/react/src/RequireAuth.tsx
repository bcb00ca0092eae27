import type { ReactNode } from 'react'
import { useAuthState } from './useAuthState'

/** Props of {@link RequireAuth}. */
export interface RequireAuthProps {
  /** Shown while the session is being restored. @default null */
  restoring?: ReactNode
  /** Shown when there is no session (a login form, a redirect). @default null */
  fallback?: ReactNode
  /** What only a logged-in user sees. */
  children?: ReactNode
}

/**
 * Renders its children only with a session.
 * @example <RequireAuth restoring={<Spinner />} fallback={<LoginPage />}><Orders /></RequireAuth>
 */
export function RequireAuth({ restoring = null, fallback = null, children }: RequireAuthProps) {
  const status = useAuthState(selectStatus)
  if (status === 'restoring') return restoring
  return status === 'authenticated' ? children : fallback
}

const selectStatus = (snapshot: { status: string }) => snapshot.status
