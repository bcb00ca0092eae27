import { isRefreshFailedError, isSessionExpiredError } from '@retoken/core'
import { isCancel } from 'axios'

/** One line for the outcome of a failed call, as the cards show it. */
export function describeError(error: unknown): string {
  if (isSessionExpiredError(error)) return 'Session expired: please log in again'
  if (isRefreshFailedError(error)) return `Refresh failed, session kept: ${error.message}`
  if (isCancel(error)) return 'Canceled'
  return error instanceof Error ? error.message : String(error)
}
