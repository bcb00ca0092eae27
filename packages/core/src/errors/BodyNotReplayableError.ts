import { hasErrorName, RetokenError } from './RetokenError'

/**
 * A request was refused for its expired token, the token was renewed, but the request
 * cannot be sent again: its body was a one-shot stream, already consumed. Send it again
 * yourself; the refused response is in `response`.
 */
export class BodyNotReplayableError extends RetokenError {
  override name = 'BodyNotReplayableError' as const

  /** The response that refused the request (its status is in `refreshOn`). */
  readonly response: Response

  constructor(response: Response) {
    super('The request was refused for an expired token and its streamed body cannot be sent again')
    this.response = response
  }
}

/** Tells whether a value is a {@link BodyNotReplayableError}, across realms. */
export function isBodyNotReplayableError(error: unknown): error is BodyNotReplayableError {
  return hasErrorName(error, 'BodyNotReplayableError')
}
