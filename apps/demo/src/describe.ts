import { isRefreshFailedError, isSessionExpiredError } from '@retoken/core'
import { isAxiosError, isCancel } from 'axios'

/** The server's own words for a failed call (`error_description`), found along `cause`. */
export function serverReason(error: unknown): string | null {
  for (let at = error, depth = 0; at && depth < 5; depth++) {
    if (isAxiosError(at)) {
      const data = at.response?.data as { error_description?: unknown } | undefined
      if (typeof data?.error_description === 'string') return data.error_description
      if (at.response) return `HTTP ${at.response.status}`
      return at.code === 'ERR_CANCELED' ? 'canceled' : 'no answer (network error)'
    }
    at = (at as { cause?: unknown }).cause
  }
  return null
}

/** One line for the outcome of a failed call, as the cards show it. */
export function describeError(error: unknown): string {
  const reason = serverReason(error)
  if (isSessionExpiredError(error))
    return `Session ended: the server refused the refresh${reason ? ` (${reason})` : ''}`
  if (isRefreshFailedError(error))
    return `The refresh failed${reason ? ` (${reason})` : ''}; the session is kept`
  if (isCancel(error)) return 'Canceled: the session ended while it waited'
  if (isAxiosError(error) && error.response?.status === 401)
    return `Refused with 401${reason ? ` (${reason})` : ''}`
  return error instanceof Error ? error.message : String(error)
}
