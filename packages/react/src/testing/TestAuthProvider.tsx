import type { SessionControls } from '@retoken/core'
import { type ReactNode, useState } from 'react'
import { AuthProvider } from '../AuthProvider'
import { createTestAuth, type TestAuthOptions } from './createTestAuth'
import { createTestToken } from './createTestToken'

/** Props of {@link TestAuthProvider}. */
export interface TestAuthProviderProps<User> extends TestAuthOptions {
  /**
   * The user components see.
   * @default the access token's claims
   */
  user?: User
  /**
   * Your own `createTestAuth()` (or `createAuth()`) object, to drive the session from
   * the test; `authenticated`, `claims` and `expiresIn` are then ignored.
   */
  auth?: SessionControls
  /** The tree that reads the session. */
  children?: ReactNode
}

/**
 * Renders children as logged in (or out) with the user and claims you give, no server
 * needed. `useAuth().login` logs in with a new test token; `logout` logs out.
 * @example render(<TestAuthProvider user={{ name: 'Ada' }}><Profile /></TestAuthProvider>)
 */
export function TestAuthProvider<User>({
  user,
  auth,
  children,
  ...options
}: TestAuthProviderProps<User>) {
  const [testAuth] = useState(() => auth ?? createTestAuth(options))
  return (
    <AuthProvider
      auth={testAuth}
      restore="none"
      getUser={(claims) => (user ?? claims) as User}
      login={async () => ({ accessToken: createTestToken(options.claims, options.expiresIn) })}
    >
      {children}
    </AuthProvider>
  )
}
