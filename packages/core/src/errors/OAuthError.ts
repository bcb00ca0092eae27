import { hasErrorName, RetokenError, type RetokenErrorOptions } from './RetokenError'

/** What an RFC 6749 section 5.2 error response says, and the HTTP status it came with. */
export interface OAuthErrorResponse {
  /** The HTTP status of the token endpoint's answer. */
  status: number
  /** The parsed body: `error` and `error_description` when the server sent them. */
  data: { error: string | null; error_description: string | null }
}

/**
 * The authorization server answered the refresh with an error (RFC 6749 section 5.2).
 * `code` is its `error` (`invalid_grant`, `invalid_client`, …) or `null` when the body
 * was not an OAuth error. Never holds the refresh token.
 */
export class OAuthError extends RetokenError {
  override name = 'OAuthError' as const
  /** The OAuth `error` code, or `null` when the server sent none. */
  readonly code: string | null
  /** The server's `error_description`, or `null`. */
  readonly description: string | null
  /** The HTTP status. */
  readonly status: number
  /** The answer in the shape Axios and ky errors have, so classifiers written for them read it. */
  readonly response: OAuthErrorResponse

  constructor(
    status: number,
    code: string | null,
    description: string | null,
    options?: RetokenErrorOptions,
  ) {
    const said = code ? `${code}${description ? `: ${description}` : ''}` : `HTTP ${status}`
    super(`The authorization server refused the refresh (${said})`, options)
    this.code = code
    this.description = description
    this.status = status
    this.response = { status, data: { error: code, error_description: description } }
  }
}

/** Tells whether a value is an {@link OAuthError}, across realms. */
export function isOAuthError(error: unknown): error is OAuthError {
  return hasErrorName(error, 'OAuthError')
}
