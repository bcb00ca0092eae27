import type { DebugLogger } from './debugLog'
import { InvalidOptionsError } from './errors/InvalidOptionsError'
import type { TokenFormat } from './session'
import type { RefreshContext, RefreshErrorClassifier, RefreshResult, TokenStorage } from './types'
import { browserWakeSource, type WakeSource } from './wakeSource'

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
   * Renew on a timer before expiry even without traffic. The timer never keeps a
   * Node process alive and re-checks when a browser tab becomes visible or goes online.
   * @default false
   */
  autoRefresh?: boolean
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
   * Coordinates the tabs of one app in a browser: one refresh across tabs (Web Locks,
   * or a lease in IndexedDB where they are missing), the new tokens handed over through
   * IndexedDB, and logins and logouts followed. `name` scopes it to the app when several
   * apps share an origin. `false` turns it off.
   * @default { name: storage.id ?? 'default' }
   */
  tabs?: false | { name?: string }
  /**
   * Where `autoRefresh` hears that the app woke up; pass one for React Native's `AppState`.
   * @default browserWakeSource (page visible again, network back)
   */
  wake?: WakeSource
  /**
   * Logs the session's timeline (requests queued, refreshes, retries, tab hand-overs,
   * expiry) with every token redacted: `true` for `console.debug`, or your own logger.
   * @default false
   */
  debug?: boolean | DebugLogger
}

/** Options with defaults applied, in the units the code uses (ms). */
export interface ResolvedAuthOptions {
  refresh: AuthOptions['refresh']
  storage: TokenStorage | undefined
  refreshMarginMs: number | undefined
  clockToleranceMs: number
  now: () => number
  refreshTimeoutMs: number
  autoRefresh: boolean
  isFatalRefreshError: RefreshErrorClassifier | undefined
  tokenFormat: TokenFormat
  tabs: false | { name: string }
  wake: WakeSource
  debug: DebugLogger | null
}

/** Checks every option and throws an {@link InvalidOptionsError} naming the first bad one. */
export function resolveAuthOptions(options: AuthOptions): ResolvedAuthOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionsError('options', 'createAuth() needs an options object')
  }
  if (typeof options.refresh !== 'function') {
    throw new InvalidOptionsError(
      'refresh',
      'a function ({ refreshToken, signal }) => tokens is required',
    )
  }
  const { storage } = options
  if (
    storage !== undefined &&
    !(['get', 'set', 'remove'] as const).every((method) => typeof storage?.[method] === 'function')
  ) {
    throw new InvalidOptionsError('storage', 'must have get(), set() and remove() methods')
  }
  optionalFunction(options, 'now')
  optionalFunction(options, 'isFatalRefreshError')
  if (options.autoRefresh !== undefined && typeof options.autoRefresh !== 'boolean') {
    throw new InvalidOptionsError('autoRefresh', 'must be a boolean')
  }
  if (options.tokenFormat !== undefined && !['jwt', 'opaque'].includes(options.tokenFormat)) {
    throw new InvalidOptionsError('tokenFormat', `must be 'jwt' or 'opaque'`)
  }
  optionalFunction(options, 'wake')
  if (
    options.debug !== undefined &&
    typeof options.debug !== 'boolean' &&
    typeof options.debug !== 'function'
  ) {
    throw new InvalidOptionsError(
      'debug',
      'must be a boolean or a function (line, details) => void',
    )
  }
  const { tabs } = options
  if (
    tabs !== undefined &&
    tabs !== false &&
    (typeof tabs !== 'object' ||
      tabs === null ||
      (tabs.name !== undefined && (typeof tabs.name !== 'string' || tabs.name === '')))
  ) {
    throw new InvalidOptionsError('tabs', `must be false or { name?: string }`)
  }
  const refreshMargin = optionalSeconds(options, 'refreshMargin')
  const now = options.now
  return {
    refresh: options.refresh,
    storage,
    refreshMarginMs: refreshMargin === undefined ? undefined : refreshMargin * 1000,
    clockToleranceMs: (optionalSeconds(options, 'clockTolerance') ?? 5) * 1000,
    now: validClock(now),
    refreshTimeoutMs: positiveMs(options.refreshTimeout),
    autoRefresh: options.autoRefresh ?? false,
    isFatalRefreshError: options.isFatalRefreshError,
    tokenFormat: options.tokenFormat ?? 'jwt',
    tabs: tabs === false ? false : { name: tabs?.name ?? storage?.id ?? 'default' },
    wake: options.wake ?? browserWakeSource,
    debug: resolveDebug(options.debug),
  }
}

// Date.now is read at each call, so fake timers installed after createAuth still apply.
// A clock that returns NaN or a string would make every token look expired and every
// timer fire at once: such readings fall back to Date.now.
function validClock(now: (() => number) | undefined): () => number {
  if (!now) return () => Date.now()
  return () => {
    const value = now()
    return typeof value === 'number' && Number.isFinite(value) ? value : Date.now()
  }
}

function optionalFunction(options: AuthOptions, key: 'now' | 'isFatalRefreshError' | 'wake'): void {
  if (options[key] !== undefined && typeof options[key] !== 'function') {
    throw new InvalidOptionsError(key, 'must be a function')
  }
}

function optionalSeconds(
  options: AuthOptions,
  key: 'refreshMargin' | 'clockTolerance',
): number | undefined {
  const value = options[key]
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidOptionsError(key, `must be a number of seconds >= 0, got ${String(value)}`)
  }
  return value
}

function positiveMs(value: unknown): number {
  if (value === undefined) return 15_000
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidOptionsError(
      'refreshTimeout',
      `must be a positive number of ms, got ${String(value)}`,
    )
  }
  return value
}

function resolveDebug(debug: AuthOptions['debug']): DebugLogger | null {
  if (typeof debug === 'function') return debug
  return debug ? (line, details) => console.debug(`[retoken] ${line}`, details) : null
}
