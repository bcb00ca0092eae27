import { checkAuthOptions } from '#dev'
import type { DpopPlugin } from '../dpop/dpop'
import type { TabsPlugin, TimerPlugin } from './extensions'
import type { TokenFormat } from './session'
import type { RefreshContext, RefreshErrorClassifier, RefreshResult, TokenStorage } from './types'

/** Options of {@link createAuth}. */
export interface AuthOptions {
  /**
   * Exchanges the refresh token for new tokens. retoken calls it once per refresh
   * (single-flight) and never retries it: resending a rotated refresh token is reuse.
   * Pass `signal` on, so logout and `refreshTimeout` can cancel the call.
   * @example refresh: async ({ refreshToken, signal }) =>
   *   (await axios.post('/auth/refresh', { refreshToken }, { signal })).data
   */
  refresh: (context: RefreshContext) => Promise<RefreshResult>
  /**
   * Where the session lives between page loads; any method may be async.
   * @default memoryStorage()
   */
  storage?: TokenStorage
  /**
   * Renew this many seconds before the access token expires.
   * @default the smaller of 60 and 20% of the token's lifetime
   */
  refreshMargin?: number
  /**
   * Clock differences up to this many seconds are taken as network latency, not skew.
   * @default 5
   */
  clockTolerance?: number
  /**
   * The local clock in ms since the epoch, for tests or to simulate a skewed client.
   * @default Date.now
   */
  now?: () => number
  /**
   * A refresh still running after this many ms is aborted and counts as a transient failure.
   * @default 15000
   */
  refreshTimeout?: number
  /**
   * Renews on a timer before requests would have to wait, even without traffic:
   * pass `autoRefresh()` (a separate import, so apps without it do not ship it).
   * `false` turns it off, as `tabs: false` does.
   * @default off
   * @example autoRefresh: autoRefresh()
   */
  autoRefresh?: false | TimerPlugin
  /**
   * Tells a fatal refresh failure (the session is over) from a transient one (kept).
   * @default 400, 401, 403 or an `invalid_grant` body are fatal; anything else is transient
   */
  isFatalRefreshError?: RefreshErrorClassifier
  /**
   * `'jwt'` decodes access tokens for `exp` and `iat`; `'opaque'` never decodes them and
   * relies on `expiresIn` (without it, tokens are renewed only when a request gets a 401).
   * @default 'jwt'
   */
  tokenFormat?: TokenFormat
  /**
   * Coordinates the tabs of one app in a browser: one refresh across tabs, the new
   * tokens handed over, logins and logouts followed. Pass `coordinateTabs()`; a storage
   * shared by tabs (`webStorage(localStorage)`) brings it by default. `false` turns it off.
   * @default the storage's own (`storage.tabs`), else none
   * @example tabs: coordinateTabs({ name: 'my-app' })
   */
  tabs?: false | TabsPlugin
  /**
   * DPoP (RFC 9449): tokens bound to a key this client holds, a fresh proof on every
   * request that carries one. Pass `dpop()` (a separate import).
   * @example dpop: dpop()
   */
  dpop?: DpopPlugin
}

/** Options with defaults applied, in the units the code uses (ms). */
export interface ResolvedAuthOptions {
  refresh: AuthOptions['refresh']
  storage: TokenStorage | undefined
  refreshMarginMs: number | undefined
  clockToleranceMs: number
  now: () => number
  refreshTimeoutMs: number
  autoRefresh: TimerPlugin | undefined
  isFatalRefreshError: RefreshErrorClassifier | undefined
  tokenFormat: TokenFormat
  /** `false` when the app turned coordination off, `undefined` when none was given. */
  tabs: TabsPlugin | false | undefined
  dpop: DpopPlugin | undefined
}

/** Applies the defaults; in development, first checks every option ({@link checkAuthOptions}). */
export function resolveAuthOptions(options: AuthOptions): ResolvedAuthOptions {
  checkAuthOptions(options)
  const { storage, tabs, refreshMargin, autoRefresh } = options
  return {
    refresh: options.refresh,
    storage,
    refreshMarginMs: refreshMargin === undefined ? undefined : refreshMargin * 1000,
    clockToleranceMs: (options.clockTolerance ?? 5) * 1000,
    now: validClock(options.now),
    refreshTimeoutMs: options.refreshTimeout ?? 15_000,
    autoRefresh: autoRefresh === false ? undefined : autoRefresh,
    isFatalRefreshError: options.isFatalRefreshError,
    tokenFormat: options.tokenFormat ?? 'jwt',
    tabs: tabs === false ? false : (tabs ?? storage?.tabs),
    dpop: options.dpop,
  }
}

// Date.now is read at each call, so fake timers installed after createAuth still apply.
// A clock that returns NaN or a string would make every token look expired and every
// timer fire at once: such readings fall back to Date.now.
function validClock(now: (() => number) | undefined): () => number {
  return () => {
    const value = now?.()
    return typeof value === 'number' && Number.isFinite(value) ? value : Date.now()
  }
}
