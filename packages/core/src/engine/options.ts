import { InvalidOptionsError } from '../errors/InvalidOptionsError'
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
}

/** Checks every option and throws an {@link InvalidOptionsError} naming the first bad one. */
export function resolveAuthOptions(options: AuthOptions): ResolvedAuthOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionsError('options', 'createAuth() needs an options object')
  }
  const { storage, tokenFormat = 'jwt', tabs } = options
  if (typeof options.refresh !== 'function')
    fail('refresh', 'a function ({ refreshToken, signal }) => tokens is required')
  if (
    storage !== undefined &&
    !['get', 'set', 'remove'].every((m) => typeof storage?.[m as 'get'] === 'function')
  ) {
    fail('storage', 'must have get(), set() and remove() methods')
  }
  // true and { name } were accepted before the timer and tabs became separate imports
  for (const key of ['now', 'isFatalRefreshError', 'autoRefresh'] as const) {
    const value = options[key]
    if (
      value !== undefined &&
      typeof value !== 'function' &&
      !(key === 'autoRefresh' && value === false)
    ) {
      fail(
        key,
        key === 'autoRefresh' ? 'pass autoRefresh() from @retoken/core' : 'must be a function',
      )
    }
  }
  // options that became imports: name the import rather than ignore them
  for (const [key, use] of [
    ['debug', 'logTimeline(auth)'],
    ['wake', 'autoRefresh({ wake })'],
  ] as const) {
    if (key in options) fail(key, `use ${use} from @retoken/core`)
  }
  if (tabs !== undefined && tabs !== false && typeof tabs !== 'function') {
    fail('tabs', 'pass false or coordinateTabs() from @retoken/core')
  }
  if (tabs === undefined && storage && !storage.tabs && (storage.lock || storage.subscribe)) {
    warnUncoordinatedStorage()
  }
  if (tokenFormat !== 'jwt' && tokenFormat !== 'opaque')
    fail('tokenFormat', `must be 'jwt' or 'opaque'`)
  const refreshMargin = seconds(options.refreshMargin, 'refreshMargin')
  const timeout = options.refreshTimeout ?? 15_000
  if (!(typeof timeout === 'number' && timeout > 0 && timeout < Infinity)) {
    fail('refreshTimeout', `must be a positive number of ms, got ${String(timeout)}`)
  }
  return {
    refresh: options.refresh,
    storage,
    refreshMarginMs: refreshMargin === undefined ? undefined : refreshMargin * 1000,
    clockToleranceMs: (seconds(options.clockTolerance, 'clockTolerance') ?? 5) * 1000,
    now: validClock(options.now),
    refreshTimeoutMs: timeout,
    autoRefresh: options.autoRefresh === false ? undefined : options.autoRefresh,
    isFatalRefreshError: options.isFatalRefreshError,
    tokenFormat,
    tabs: tabs === false ? false : (tabs ?? storage?.tabs),
  }
}

let warnedUncoordinated = false

// A storage written to be shared (it has lock or subscribe) is not coordinated until
// coordination is imported: importing it here would cost every app its bytes.
function warnUncoordinatedStorage() {
  const mode = typeof process !== 'undefined' ? process.env?.NODE_ENV : undefined
  if (warnedUncoordinated || mode === 'production' || mode === 'test') return
  warnedUncoordinated = true
  console.warn(
    "[retoken] this storage has lock() or subscribe(), but nothing coordinates through them: pass tabs: coordinateStorage() (processes sharing the storage) or tabs: coordinateTabs() (browser tabs) from '@retoken/core', or set storage.tabs; tabs: false silences this.",
  )
}

function fail(option: string, problem: string): never {
  throw new InvalidOptionsError(option, problem)
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

function seconds(value: unknown, key: string): number | undefined {
  if (value !== undefined && !(typeof value === 'number' && value >= 0 && value < Infinity)) {
    fail(key, `must be a number of seconds >= 0, got ${String(value)}`)
  }
  return value as number | undefined
}
