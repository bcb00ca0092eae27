import { hasErrorName, RetokenError, type RetokenErrorOptions } from './RetokenError'

/**
 * The refresh was rejected (400/401/403 or `invalid_grant`): the session is over
 * and the user must log in again. The server's rejection is in `cause`.
 */
export class SessionExpiredError extends RetokenError {
  override name = 'SessionExpiredError' as const

  constructor(message = 'The session has expired: log in again', options?: RetokenErrorOptions) {
    super(message, options)
  }
}

/** Tells whether a value is a {@link SessionExpiredError}, across realms. */
export function isSessionExpiredError(error: unknown): error is SessionExpiredError {
  return hasErrorName(error, 'SessionExpiredError')
}
