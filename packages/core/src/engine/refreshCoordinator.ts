import { RefreshFailedError } from '../errors/RefreshFailedError'
import { SessionExpiredError } from '../errors/SessionExpiredError'
import { RequestCanceledError } from './requestQueue'
import type { RefreshErrorClassifier, RefreshReason } from './types'

/** What the coordinator needs from the session it renews. */
export interface RefreshCoordinatorDeps<S, R> {
  /** Calls the user's refresh function (or takes another tab's result). */
  callRefresh(signal: AbortSignal): Promise<R>
  /** Turns the result into the new session and puts it in place; throws if the result is unusable. */
  commit(result: R): S
  /** Ends the session because the refresh was rejected. */
  expire(error: SessionExpiredError): void
  /** Current session epoch: it changes on login and logout, which voids a refresh in flight. */
  epoch(): number
  isFatal: RefreshErrorClassifier
  timeoutMs: number
  onStart(reason: RefreshReason): void
  onSettled(outcome: { session: S } | { error: SessionExpiredError | RefreshFailedError }): void
}

/** Single-flight refresh: see {@link createRefreshCoordinator}. */
export interface RefreshCoordinator<S> {
  /** Whether a refresh call is running. */
  readonly isRefreshing: boolean
  /** The abort signal of the refresh in flight, which identifies the refresh call's own request. */
  readonly signal: AbortSignal | null
  /** Starts a refresh, or joins the one in flight. */
  refresh(reason: RefreshReason): Promise<S>
  /** Aborts the refresh in flight; its result, if any, is thrown away. */
  abort(reason: string): void
}

/**
 * Single-flight refresh: however many callers ask at once, one refresh call runs
 * and everyone shares its promise. It is never retried automatically, because
 * resending a rotated refresh token counts as reuse and revokes the session.
 */
export function createRefreshCoordinator<S, R>(
  deps: RefreshCoordinatorDeps<S, R>,
): RefreshCoordinator<S> {
  let inFlight: Promise<S> | null = null
  let controller: AbortController | null = null
  // Aborts the flight in progress. Only the coordinator aborts its controller (timeout,
  // abort()), so it stops the flight's wait itself rather than through a listener on the
  // signal: Node's EventTarget made that listener a third of the flight's own cost.
  let stopFlight: ((reason: unknown) => void) | null = null

  const classify = (error: unknown): SessionExpiredError | RefreshFailedError => {
    if (error instanceof RefreshFailedError) return error
    if (error instanceof RefreshTimeoutError) {
      return new RefreshFailedError(error.message, { cause: error })
    }
    if (deps.isFatal(error)) {
      return new SessionExpiredError('The refresh token was rejected: log in again', {
        cause: error,
      })
    }
    return new RefreshFailedError(`Refreshing the access token failed: ${describe(error)}`, {
      cause: error,
    })
  }

  async function run(own: AbortController, epoch: number): Promise<S> {
    let reject!: (reason: unknown) => void
    // rejects with the abort's reason as soon as it aborts: a refresh function may ignore
    // its signal, and the timeout and logout must still win (first in the race below, so
    // an abort before the call wins even over a call that has already settled)
    const stopped = new Promise<never>((_, fail) => {
      reject = fail
    })
    const stop = (reason: unknown) => {
      own.abort(reason)
      reject(reason)
    }
    stopFlight = stop
    const timer = setTimeout(() => stop(new RefreshTimeoutError(deps.timeoutMs)), deps.timeoutMs)
    // a pending refresh must never keep a Node process alive
    ;(timer as { unref?: () => void }).unref?.()
    // the flight is over before anyone is told, so released requests do not queue again
    const finish = () => {
      clearTimeout(timer)
      if (controller !== own) return
      inFlight = null
      controller = null
      stopFlight = null
    }
    try {
      await null // refresh() records the flight before the user's function runs
      const result = await Promise.race([stopped, deps.callRefresh(own.signal)])
      if (deps.epoch() !== epoch) throw voided()
      let session: S
      try {
        session = deps.commit(result)
      } catch (error) {
        throw new RefreshFailedError('The refresh response could not be used', { cause: error })
      }
      finish()
      deps.onSettled({ session })
      return session
    } catch (error) {
      finish()
      if (deps.epoch() !== epoch) throw voided()
      const typed = classify(error)
      if (typed instanceof SessionExpiredError) deps.expire(typed)
      deps.onSettled({ error: typed })
      throw typed
    }
  }

  return {
    get isRefreshing() {
      return inFlight !== null
    },
    get signal() {
      return controller?.signal ?? null
    },
    refresh(reason) {
      if (inFlight) return inFlight
      controller = new AbortController()
      // record the flight before anyone hears of it, so a listener that asks joins it
      inFlight = run(controller, deps.epoch())
      deps.onStart(reason)
      return inFlight
    },
    abort(reason) {
      const stop = stopFlight
      // forget the flight now, not when its rejection lands: a request arriving in
      // between must not join a refresh nobody will finish
      inFlight = null
      controller = null
      stopFlight = null
      stop?.(new RequestCanceledError(reason))
    },
  }
}

/** The refresh outlived `refreshTimeout`; its late answer may still be kept. */
export class RefreshTimeoutError extends Error {
  override name = 'RefreshTimeoutError'
  constructor(ms: number) {
    super(`The refresh did not answer within ${ms} ms`)
  }
}

/** A refresh outlived a login or logout: its result belongs to a session that is gone. */
const voided = () =>
  new RequestCanceledError('The refresh was abandoned: the session changed while it ran')

function describe(error: unknown): string {
  const { response, message } = (error ?? {}) as {
    response?: { status?: unknown }
    message?: unknown
  }
  if (typeof response?.status === 'number') return `HTTP ${response.status}`
  return typeof message === 'string' && message ? message : String(error)
}
