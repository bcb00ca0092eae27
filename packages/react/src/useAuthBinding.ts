import { useContext } from 'react'
import { AuthContext } from './AuthContext'
import type { AuthBinding } from './createAuthBinding'

/** The provider's binding; throws a descriptive error outside an `AuthProvider`. */
export function useAuthBinding<User, Credentials>(hook: string): AuthBinding<User, Credentials> {
  const binding = useContext(AuthContext)
  if (!binding) {
    throw new Error(
      `${hook} must be used inside <AuthProvider>: wrap your app in <AuthProvider auth={auth}>`,
    )
  }
  return binding as AuthBinding<User, Credentials>
}
