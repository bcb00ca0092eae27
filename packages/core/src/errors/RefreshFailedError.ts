import { hasErrorName, RetokenError, type RetokenErrorOptions } from './RetokenError'

/**
 * The refresh failed for a reason that may pass (network error, timeout, 5xx, 429,
 * an unreadable response): the session is kept and the next request tries again.
 */
export class RefreshFailedError extends RetokenError {
  override name = 'RefreshFailedError' as const

  constructor(message = 'Refreshing the access token failed', options?: RetokenErrorOptions) {
    super(message, options)
  }
}

/** Tells whether a value is a {@link RefreshFailedError}, across realms. */
export function isRefreshFailedError(error: unknown): error is RefreshFailedError {
  return hasErrorName(error, 'RefreshFailedError')
}
