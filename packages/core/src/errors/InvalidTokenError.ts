import { hasErrorName, RetokenError, type RetokenErrorOptions } from './RetokenError'

/** A token or token response that cannot be used; `reason` says what is wrong with it. */
export class InvalidTokenError extends RetokenError {
  override name = 'InvalidTokenError' as const
  /** What is wrong, in a few words (for example "payload is not JSON"). */
  readonly reason: string

  constructor(reason: string, options?: RetokenErrorOptions) {
    super(`Invalid token: ${reason}`, options)
    this.reason = reason
  }
}

/** Tells whether a value is an {@link InvalidTokenError}, across realms. */
export function isInvalidTokenError(error: unknown): error is InvalidTokenError {
  return hasErrorName(error, 'InvalidTokenError')
}
