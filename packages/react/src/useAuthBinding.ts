import { noProvider } from '#dev'
import { AuthContext } from './AuthContext'
import type { AuthBinding } from './createAuthBinding'
import { useContext } from './react'

/** The provider's binding; throws outside an `AuthProvider`. */
export function useAuthBinding<User, Credentials>(hook: string): AuthBinding<User, Credentials> {
  const binding = useContext(AuthContext)
  if (!binding) throw new Error(noProvider(hook))
  return binding as AuthBinding<User, Credentials>
}
