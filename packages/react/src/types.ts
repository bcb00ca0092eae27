import type { AccessTokenClaims, SessionControls, TokenSet } from '@retoken/core'

/** What the UI sees: `restoring` until the provider has tried to resume a session. */
export type AuthUiStatus = 'restoring' | 'authenticated' | 'unauthenticated'

/** The snapshot every hook reads; its identity changes only when a field does. */
export interface AuthSnapshot<User = unknown> {
  /** `restoring` on first render, then whether there is a session. */
  readonly status: AuthUiStatus
  /** `status === 'authenticated'`. */
  readonly isAuthenticated: boolean
  /** Restoring, or a login in progress. */
  readonly isLoading: boolean
  /** The user from the login result, or derived from the claims with `getUser`. */
  readonly user: User | null
  /** Decoded access token claims. */
  readonly claims: AccessTokenClaims | null
  /** The current access token. */
  readonly accessToken: string | null
  /** Access token expiry in ms (local clock). */
  readonly expiresAt: number | null
  /** Whether a token refresh is in flight. */
  readonly isRefreshing: boolean
  /** Why the last login failed or the session ended: the server's message, with `cause`. */
  readonly error: Error | null
}

/** What the app's `login` call resolves with: the tokens and, optionally, the user. */
export type LoginResult<User = unknown> = TokenSet & { user?: User }

/** How the provider resumes a session on page load. */
export type RestoreStrategy =
  /** Use the tokens the `auth` storage holds, renewing them if they are about to expire. */
  | 'storage'
  /** Ask the refresh endpoint, for refresh tokens held in an HttpOnly cookie. */
  | 'refresh'
  /** Do nothing: start logged out (or with whatever `auth` already holds). */
  | 'none'
  /** Your own restore step: it gets the provider's `auth` (from `createAuth` or `createSession`). */
  | RestoreStep

// A method's parameter is checked both ways, so a step written for `Auth` (which has
// attach()) still fits now that the provider also takes createSession()'s object.
type RestoreStep = { step(auth: SessionControls): Promise<unknown> }['step']
