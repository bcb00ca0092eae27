import type { Unsubscribe } from '../engine/emitter'
import type { SessionControls } from '../engine/types'
import { isRefreshFailedError } from '../errors/RefreshFailedError'
import { isSessionExpiredError } from '../errors/SessionExpiredError'

type RetryValue = boolean | number | ((failureCount: number, error: unknown) => boolean)

/** A query as {@link syncQueryClient} inspects it (TanStack Query v4 and v5 `Query`). */
export interface QueryLike {
  state: { status: string; error: unknown }
}

/**
 * The part of a TanStack Query `QueryClient` that {@link syncQueryClient} uses; typed
 * structurally, so the core depends on no version of TanStack Query.
 */
export interface QueryClientLike {
  cancelQueries(): Promise<unknown>
  clear(): void
  refetchQueries(filters: { predicate: (query: QueryLike) => boolean }): Promise<unknown>
  getDefaultOptions(): { queries?: { retry?: unknown } }
  setDefaultOptions(options: { queries?: Record<string, unknown> }): void
}

/**
 * Keeps a TanStack Query cache in step with the session: it is cleared on logout and
 * on session expiry (so the next user never sees the last one's data), a query that
 * failed with `SessionExpiredError` is not retried, and queries that failed for want of
 * a session (a refresh that failed for now, a 401) are fetched again once a refresh or
 * a login brings it back. Returns a function that undoes all of it.
 * @example const stop = syncQueryClient(auth, queryClient)
 */
export function syncQueryClient(auth: SessionControls, queryClient: QueryClientLike): Unsubscribe {
  const defaults = queryClient.getDefaultOptions()
  const previous = defaults.queries?.retry as RetryValue | undefined
  const retry = (failureCount: number, error: unknown): boolean => {
    // the refresh token was refused: only a new login helps, so asking again is noise
    if (isSessionExpiredError(error)) return false
    if (typeof previous === 'function') return previous(failureCount, error)
    if (typeof previous === 'number') return failureCount < previous
    // TanStack Query's own default: three retries in the browser
    return previous ?? failureCount < 3
  }
  queryClient.setDefaultOptions({ ...defaults, queries: { ...defaults.queries, retry } })

  let subject = auth.getState().claims?.sub
  const forget = () => queryClient.clear()
  const refetchFailed = () =>
    void queryClient
      .refetchQueries({
        predicate: (query) => query.state.status === 'error' && isSessionFailure(query.state.error),
      })
      .catch(() => {})

  const stops = [
    // removing a query cancels its fetch: on expiry the queries in flight are about to fail
    // with SessionExpiredError, which is what their callers should see, so they settle first
    auth.on('loggedOut', forget),
    auth.on('sessionExpired', () => void setTimeout(forget, 0)),
    auth.on('loggedIn', () => {
      const next = auth.getState().claims?.sub
      // another user without a logout in between (a login in another tab): nothing carries over
      if (subject !== undefined && next !== subject) forget()
      subject = next
      refetchFailed()
    }),
    auth.on('refreshSucceeded', refetchFailed),
  ]
  return () => {
    for (const stop of stops) stop()
    const now = queryClient.getDefaultOptions()
    if (now.queries?.retry === retry) {
      queryClient.setDefaultOptions({ ...now, queries: { ...now.queries, retry: previous } })
    }
  }
}

/** Errors a working session would have avoided: a refresh that failed for now, a 401. */
function isSessionFailure(error: unknown): boolean {
  if (isRefreshFailedError(error) || isSessionExpiredError(error)) return true
  const status = error as { status?: unknown; response?: { status?: unknown } } | null
  return status?.status === 401 || status?.response?.status === 401
}
