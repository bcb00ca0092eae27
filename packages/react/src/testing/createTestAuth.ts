import { type AccessTokenClaims, type Auth, createAuth } from '@retoken/core'
import { createTestToken } from './createTestToken'

/** Options of {@link createTestAuth}. */
export interface TestAuthOptions {
  /**
   * Start logged in or logged out.
   * @default true
   */
  authenticated?: boolean
  /**
   * Claims of the access token; `sub`, `iat` and `exp` are filled in when missing.
   * @default { sub: 'test-user' }
   */
  claims?: AccessTokenClaims
  /**
   * Access token lifetime in seconds.
   * @default 3600
   */
  expiresIn?: number
}

/**
 * A real `createAuth()` object for tests, logged in (or not) without any server: its
 * refresh mints a new test token with the same claims, and it starts no timers.
 * @example const auth = createTestAuth({ claims: { sub: 'u1', name: 'Ada' } })
 */
export function createTestAuth(options: TestAuthOptions = {}): Auth {
  const { authenticated = true, claims = {}, expiresIn = 3600 } = options
  const auth = createAuth({
    refresh: async () => ({ accessToken: createTestToken(claims, expiresIn), expiresIn }),
  })
  if (authenticated) {
    // the in-memory storage applies setTokens' state at once, so the first render sees it
    const started = auth.setTokens({
      accessToken: createTestToken(claims, expiresIn),
      refreshToken: 'test-refresh-token',
    })
    started.catch(() => {}) // reported below, where the test can see it
    if (auth.getState().status !== 'authenticated') {
      throw new Error(
        `createTestAuth: the core refused the test token (claims ${JSON.stringify(claims)}, expiresIn ${expiresIn})`,
      )
    }
  }
  return auth
}
