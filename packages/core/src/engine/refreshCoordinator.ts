import { RefreshFailedError } from '../errors/RefreshFailedError'
import { SessionExpiredError } from '../errors/SessionExpiredError'
import { RequestCanceledError } from './requestQueue'
import type { RefreshErrorClassifier, RefreshReason, RefreshResult } from './types'

/** What the coordinator needs from the session it renews. */
export interface RefreshCoordinatorDeps<S, R = RefreshResult> {
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

/**
 * Single-flight refresh: however many callers ask at once, one refresh call runs
 * and everyone shares its promise. It is never retried automatically, because
 * resending a rotated refresh token counts as reuse and revokes the session.
 */
export class RefreshCoordinator<S, R = RefreshResult> {
  #inFlight: Promise<S> | null = null
  #controller: AbortController | null = null
  readonly #deps: RefreshCoordinatorDeps<S, R>

  constructor(deps: RefreshCoordinatorDeps<S, R>) {
    this.#deps = deps
  }

  /** Whether a refresh call is running. */
  get isRefreshing(): boolean {
    return this.#inFlight !== null
  }

  /** The abort signal of the refresh in flight, which identifies the refresh call's own request. */
  get signal(): AbortSignal | null {
    return this.#controller?.signal ?? null
  }

  /** Starts a refresh, or joins the one in flight. */
  refresh(reason: RefreshReason): Promise<S> {
    if (this.#inFlight) return this.#inFlight
    const controller = new AbortController()
    this.#controller = controller
    // record the flight before anyone hears of it, so a listener that asks joins it
    this.#inFlight = this.#run(controller, this.#deps.epoch())
    this.#deps.onStart(reason)
    return this.#inFlight
  }

  /** Aborts the refresh in flight; its result, if any, is thrown away. */
  abort(reason: string): void {
    const controller = this.#controller
    // forget the flight now, not when its rejection lands: a request arriving in
    // between must not join a refresh nobody will finish
    this.#inFlight = null
    this.#controller = null
    controller?.abort(new RequestCanceledError(reason))
  }

  async #run(controller: AbortController, epoch: number): Promise<S> {
    const deps = this.#deps
    const timer = setTimeout(
      () => controller.abort(new RefreshTimeoutError(deps.timeoutMs)),
      deps.timeoutMs,
    )
    // a pending refresh must never keep a Node process alive
    ;(timer as { unref?: () => void }).unref?.()
    // the flight is over before anyone is told, so released requests do not queue again
    const finish = () => {
      clearTimeout(timer)
      if (this.#controller !== controller) return
      this.#inFlight = null
      this.#controller = null
    }
    try {
      await null // refresh() records the flight before the user's function runs
      const result = await untilAborted(deps.callRefresh(controller.signal), controller.signal)
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
      const typed = this.#classify(error)
      if (typed instanceof SessionExpiredError) deps.expire(typed)
      deps.onSettled({ error: typed })
      throw typed
    }
  }

  #classify(error: unknown): SessionExpiredError | RefreshFailedError {
    if (error instanceof RefreshFailedError) return error
    if (error instanceof RefreshTimeoutError) {
      return new RefreshFailedError(error.message, { cause: error })
    }
    if (this.#deps.isFatal(error)) {
      return new SessionExpiredError('The refresh token was rejected: log in again', {
        cause: error,
      })
    }
    return new RefreshFailedError(`Refreshing the access token failed: ${describe(error)}`, {
      cause: error,
    })
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
function voided(): RequestCanceledError {
  return new RequestCanceledError('The refresh was abandoned: the session changed while it ran')
}

// A refresh function may ignore its signal; the timeout and logout must still win.
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    if (signal.aborted) onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

function describe(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const status = (error as { response?: { status?: unknown } }).response?.status
    const message = (error as { message?: unknown }).message
    if (typeof status === 'number') return `HTTP ${status}`
    if (typeof message === 'string' && message) return message
  }
  return String(error)
}
