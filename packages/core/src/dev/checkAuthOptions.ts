import type { AuthOptions } from '../engine/options'
import { InvalidOptionsError } from '../errors/InvalidOptionsError'
import { warnUncoordinatedStorage } from './warnings'

/** Checks every option of `createAuth()` and throws an {@link InvalidOptionsError} naming the first bad one. */
export function checkAuthOptions(options: AuthOptions): void {
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
  for (const key of ['now', 'isFatalRefreshError', 'autoRefresh', 'dpop'] as const) {
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
  seconds(options.refreshMargin, 'refreshMargin')
  seconds(options.clockTolerance, 'clockTolerance')
  const timeout = options.refreshTimeout ?? 15_000
  if (!(typeof timeout === 'number' && timeout > 0 && timeout < Infinity)) {
    fail('refreshTimeout', `must be a positive number of ms, got ${String(timeout)}`)
  }
}

function fail(option: string, problem: string): never {
  throw new InvalidOptionsError(option, problem)
}

function seconds(value: unknown, key: string): void {
  if (value !== undefined && !(typeof value === 'number' && value >= 0 && value < Infinity)) {
    fail(key, `must be a number of seconds >= 0, got ${String(value)}`)
  }
}
