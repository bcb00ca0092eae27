import { nameContext } from '#dev'
import type { AuthBinding } from './createAuthBinding'
import { createContext } from './react'

/** Carries the provider's binding; `null` outside an `AuthProvider`. */
export const AuthContext = createContext<AuthBinding<unknown, unknown> | null>(null)
nameContext(AuthContext)
