import type { RefreshFailedError } from '../errors/RefreshFailedError'
import type { SessionExpiredError } from '../errors/SessionExpiredError'
import type { Unsubscribe } from './emitter'
import type { TabsPlugin } from './extensions'

/** Tokens as a login or refresh endpoint returns them. */
export interface TokenSet {
  /** The access token sent with requests: a JWT, or an opaque string with `tokenFormat: 'opaque'`. */
  accessToken: string
  /** The refresh token; omit it when it travels as an HttpOnly cookie. */
  refreshToken?: string | null | undefined
  /** Access token lifetime in seconds; needed for opaque tokens, optional for JWTs (their `exp` wins). */
  expiresIn?: number | undefined
  /**
   * How the access token is presented: `'DPoP'` (RFC 9449, with `dpop()` on) or `'Bearer'`.
   * @default 'Bearer'
   */
  tokenType?: 'Bearer' | 'DPoP' | undefined
}

/** What the `refresh` option returns: a missing `refreshToken` keeps the current one. */
export type RefreshResult = TokenSet

/** What retoken hands to the `refresh` option. */
export interface RefreshContext {
  /** The current refresh token, or `null` when it lives in an HttpOnly cookie. */
  refreshToken: string | null
  /** Aborted on `logout()` and after `refreshTimeout`: pass it to your HTTP call. */
  signal: AbortSignal
  /** Present when `dpop()` is on: sends the refresh call with a DPoP proof (see {@link DpopRefreshHelper}). */
  dpop?: DpopRefreshHelper | undefined
}

/** What a refresh function gets to send its call with a DPoP proof (RFC 9449 section 5). */
export interface DpopRefreshHelper {
  /**
   * Calls `fetchFn` with a fresh proof for this method and URL in the `DPoP` header;
   * on a 400 `use_dpop_nonce` carrying a nonce it had not seen, sends once more with it.
   */
  fetch(url: string, init?: RequestInit, fetchFn?: typeof fetch): Promise<Response>
  /**
   * A fresh proof for a call you send with another client (Axios): put it in the `DPoP`
   * header; on a `use_dpop_nonce` answer, send once more with a new proof.
   */
  proof(method: string, url: string): Promise<string>
}

/** Registered JWT claims plus whatever else the issuer put in the payload. */
export interface AccessTokenClaims {
  /** Subject: who the token is about. */
  sub?: string
  /** Expiry, seconds since the epoch on the issuer's clock. */
  exp?: number
  /** Issued at, seconds since the epoch on the issuer's clock. */
  iat?: number
  /** Token id. */
  jti?: string
  [claim: string]: unknown
}

/** The session as persisted by a {@link TokenStorage}: tokens plus what was learned when they arrived. */
export interface StoredSession {
  /** The access token. */
  accessToken: string
  /** The refresh token, or `null` when it lives in an HttpOnly cookie. */
  refreshToken: string | null
  /** When the access token expires, ms on the local clock (skew already applied); `null` if unknown. */
  expiresAt: number | null
  /** Access token lifetime in ms, used for the default refresh margin; `null` if unknown. */
  lifetime: number | null
  /** Issuer clock minus local clock in ms, estimated when the tokens arrived. */
  clockOffset: number
  /** `'DPoP'` for sender-constrained tokens (RFC 9449); absent means Bearer. */
  tokenType?: 'DPoP'
  /** With DPoP: the thumbprint of the key the tokens are bound to. A session restored with another key is dropped. */
  dpopJkt?: string | null
}

/**
 * Who else sees a storage's session: `'none'` (this tab only, as memory), `'duplicates'`
 * (per tab, but copied into a duplicated tab, as sessionStorage) or `'tabs'` (every tab
 * of the origin, as localStorage).
 */
export type StorageSharing = 'none' | 'duplicates' | 'tabs'

/** Where tokens live between page loads; any method may be async. */
export interface TokenStorage {
  /**
   * Who else sees this storage's session; decides how tabs coordinate.
   * @default 'tabs' when `subscribe` is implemented, else 'none'
   */
  sharing?: StorageSharing
  /** Names the storage in lock and channel names, so two storages of one origin never share a lock. */
  id?: string
  /** The tab coordination this storage needs when `createAuth()` is given none (`webStorage()` sets it). */
  tabs?: TabsPlugin
  /** Reads the stored session, or `null`. */
  get(): StoredSession | null | Promise<StoredSession | null>
  /** Persists the session. */
  set(session: StoredSession): void | Promise<void>
  /** Forgets the session. */
  remove(): void | Promise<void>
  /**
   * Calls `onChange` when another tab or process changed the stored session, so this
   * one adopts new tokens or a logout. Optional; returns the unsubscribe function.
   */
  subscribe?(onChange: () => void): () => void
  /**
   * Runs `task` while no other tab or process sharing this storage runs one: a refresh
   * then happens once across tabs, since two tabs refreshing one rotated token would
   * look like reuse and revoke the session. Optional.
   */
  lock?<T>(task: () => Promise<T>): Promise<T>
}

/** Session status: there is a usable session or there is not. */
export type AuthStatus = 'authenticated' | 'unauthenticated'

/** The immutable snapshot returned by `auth.getState()`; its identity changes only when a field does. */
export interface AuthState {
  /** Whether there is a session. */
  readonly status: AuthStatus
  /** The current access token, or `null`. */
  readonly accessToken: string | null
  /** Decoded access token claims (`null` for opaque tokens and when logged out). */
  readonly claims: AccessTokenClaims | null
  /** Access token expiry in ms on the local clock, skew-corrected; `null` if unknown. */
  readonly expiresAt: number | null
  /** Whether a refresh is in flight. */
  readonly isRefreshing: boolean
  /** Why the last session ended, when it ended because the refresh was rejected. */
  readonly error: SessionExpiredError | null
}

/** What events say about a request, whichever transport sent it; never its headers or body. */
export interface RequestSummary {
  /** Unique per request within this `auth`; a retry keeps the id of the request it repeats. */
  readonly id: number
  /** The HTTP method, upper case. */
  readonly method: string
  /** The URL as the caller gave it (Axios: without `baseURL` and `params`). */
  readonly url: string
}

/** Every event `auth.on()` can listen to, with its payload. */
export interface AuthEvents {
  /** A request carrying the access token goes out; `retry` marks the one retry after a refresh. */
  requestStarted: { request: RequestSummary; retry: boolean }
  /** A request that carried the access token got a response (`status`) or failed without one (`null`). */
  requestFinished: { request: RequestSummary; status: number | null; ok: boolean }
  /** A request waits for a refresh (it failed with an expired token, or started during a refresh). */
  requestQueued: { request: RequestSummary }
  /** A refresh call started. */
  refreshStarted: { reason: RefreshReason }
  /** A refresh succeeded and the new tokens are in place; `source` tells which tab called the server. */
  refreshSucceeded: { accessToken: string; source: 'this-tab' | 'other-tab' }
  /** A refresh call failed; `fatal` tells whether the session ended. */
  refreshFailed: { error: SessionExpiredError | RefreshFailedError; fatal: boolean }
  /** A request that failed with an old token is sent again with the new one. */
  requestRetried: { request: RequestSummary }
  /** The refresh was rejected: the session is over. Fires once per session. */
  sessionExpired: { error: SessionExpiredError }
  /** The session ended by `logout()`, here or in another tab. */
  loggedOut: Record<string, never>
  /** A session started: `setTokens()` here after a login, or a login in another tab. */
  loggedIn: { accessToken: string }
  /** This tab took over a change another tab made: a login, a refresh or a logout. */
  tabSync: { change: 'login' | 'refresh' | 'logout' }
  /**
   * The storage could not save or remove the session (`error`, with the refresh token
   * redacted): it threw, or a shared store stayed unreachable. The session goes on in
   * memory; a reload, another tab or another process does not see the change.
   */
  storageFailed: { operation: 'save' | 'remove'; error: unknown }
  /** A DPoP proof was signed for one send (with `dpop()`): its key's thumbprint and its claims, never its signature. */
  dpopProof: { jkt: string; claims: DpopProofClaims }
  /** A server asked for a DPoP nonce it had not been sent (`use_dpop_nonce`): the call goes once more with it. */
  dpopNonceRetry: { url: string; status: number; nonce: string }
}

/** The claims of one DPoP proof (RFC 9449 section 4.2), as `dpopProof` reports them. */
export interface DpopProofClaims {
  /** A unique id: a server refuses a proof it has seen before. */
  jti: string
  /** The request's method, upper case. */
  htm: string
  /** The request's URL without query and fragment. */
  htu: string
  /** When it was signed, in seconds on the server-corrected clock. */
  iat: number
  /** The nonce the server gave for this origin, if any. */
  nonce?: string
  /** The access token's SHA-256 hash, on resource requests. */
  ath?: string
}

/** Why a refresh was started. */
export type RefreshReason = 'manual' | 'expiring' | 'rejected' | 'timer'

/** Decides whether a refresh failure ends the session (`true`) or may pass (`false`). */
export type RefreshErrorClassifier = (error: unknown) => boolean

/** One session and how it is renewed: everything of an `Auth` but the Axios transport. */
export interface SessionControls {
  /** Starts a session with the tokens a login returned; rejects with `InvalidTokenError` and changes nothing if they are unusable. */
  setTokens(tokens: TokenSet): Promise<void>
  /** Ends the session locally: clears storage, voids a refresh in flight and cancels queued requests. */
  logout(): Promise<void>
  /** Refreshes now, or joins the refresh in flight; resolves with the new access token. */
  refresh(): Promise<string>
  /** A valid access token, renewed first if it is about to expire; `null` when logged out. For fetch, WebSocket or SSE. */
  getAccessToken(): Promise<string | null>
  /** The current immutable state snapshot. */
  getState(): AuthState
  /** Calls `listener` after each state change; returns the unsubscribe function. */
  subscribe(listener: () => void): Unsubscribe
  /** Listens to one event type; returns the unsubscribe function. */
  on<K extends keyof AuthEvents>(type: K, listener: (event: AuthEvents[K]) => void): Unsubscribe
  /** Resolves once the session stored at creation has been read (at once for synchronous storage). */
  restore(): Promise<AuthState>
  /** Detaches every Axios instance, stops timers and drops every listener. */
  destroy(): void
}
