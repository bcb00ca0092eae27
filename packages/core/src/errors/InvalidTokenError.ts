import { explainToken } from '#dev'
import { hasErrorName, RetokenError, type RetokenErrorOptions } from './RetokenError'

/** What is wrong with a token or a token response, as a stable code (the same in every build). */
export type InvalidTokenReason =
  | 'response-not-object'
  | 'no-access-token'
  | 'bad-expires-in'
  | 'no-expiry'
  | 'bad-refresh-token'
  | 'not-a-string'
  | 'not-a-jwt'
  | 'undecodable'
  | 'payload-not-object'
  | 'bad-exp'
  | 'bad-iat'
  | 'bad-token-type'

/**
 * A token or token response that cannot be used; `reason` says what is wrong with it.
 * The development build explains it in the message; the production build's message is the code.
 */
export class InvalidTokenError extends RetokenError {
  override name = 'InvalidTokenError' as const
  /** What is wrong, as a code (for example `'not-a-jwt'`). */
  readonly reason: InvalidTokenReason

  constructor(reason: InvalidTokenReason, options?: RetokenErrorOptions & { detail?: unknown }) {
    super(`Invalid token: ${explainToken(reason, options?.detail)}`, options)
    this.reason = reason
  }
}

/** Tells whether a value is an {@link InvalidTokenError}, across realms. */
export function isInvalidTokenError(error: unknown): error is InvalidTokenError {
  return hasErrorName(error, 'InvalidTokenError')
}
