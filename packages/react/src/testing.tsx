import { type AccessTokenClaims, type Auth, createAuth } from '@retoken/core'
import { type ReactNode, useState } from 'react'
import { AuthProvider } from './AuthProvider'

/** Options of {@link createTestAuth}. */
export interface TestAuthOptions {
  /** Start logged in (the default) or logged out. */
  authenticated?: boolean
  /** Claims of the access token; `sub`, `iat` and `exp` are filled in when missing. */
  claims?: AccessTokenClaims
  /** Access token lifetime in seconds. @default 3600 */
  expiresIn?: number
}

const encode = (value: unknown) => {
  const json = JSON.stringify(value)
  const bytes = new TextEncoder().encode(json)
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * A well-formed, unsigned JWT with the claims you choose: enough for the client,
 * which only decodes tokens (the server is the one that verifies them).
 */
export function createTestToken(claims: AccessTokenClaims = {}, expiresIn = 3600): string {
  const iat = Math.floor(Date.now() / 1000)
  const payload = { sub: 'test-user', iat, exp: iat + expiresIn, ...claims }
  return `${encode({ alg: 'none', typ: 'at+jwt' })}.${encode(payload)}.`
}

/**
 * A real `createAuth()` object for tests, logged in (or not) without any server: its
 * refresh mints a new test token with the same claims.
 * @example const auth = createTestAuth({ claims: { sub: 'u1', name: 'Ada' } })
 */
export function createTestAuth(options: TestAuthOptions = {}): Auth {
  const { authenticated = true, claims = {}, expiresIn = 3600 } = options
  const auth = createAuth({
    refresh: async () => ({ accessToken: createTestToken(claims, expiresIn), expiresIn }),
  })
  if (authenticated) {
    // synchronous storages apply setTokens' state at once, so the first render sees it
    void auth.setTokens({
      accessToken: createTestToken(claims, expiresIn),
      refreshToken: 'test-refresh-token',
    })
  }
  return auth
}

/** Props of {@link TestAuthProvider}. */
export interface TestAuthProviderProps<User> extends TestAuthOptions {
  /** The user components see; defaults to the claims. */
  user?: User
  /** Use your own `createTestAuth()` object to drive it from the test. */
  auth?: Auth
  children?: ReactNode
}

/**
 * Renders children as logged in (or out) with the user and claims you give, no server needed.
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
