import type { DpopLink } from '../dpop/dpop'
import { InvalidOptionsError } from '../errors/InvalidOptionsError'
import type { Emitter } from './emitter'
import type { Session } from './session'
import type { AuthEvents, RequestSummary } from './types'

/** An abort signal, or anything that looks like one (Axios accepts both). */
export interface SignalLike {
  readonly aborted: boolean
  addEventListener?: (type: 'abort', listener: () => void) => void
  removeEventListener?: (type: 'abort', listener: () => void) => void
}

/**
 * What a transport (the Axios interceptor, the fetch wrapper) needs from the session
 * engine. Transports decide how a request carries the token and how it is sent again;
 * the engine decides which token, when to refresh and who waits.
 */
export interface Engine {
  readonly events: Emitter<AuthEvents>
  /**
   * The session to send a request with right now, or `undefined` when the request
   * must first wait ({@link sessionFor}): the storage is still being read, a refresh
   * is in flight, or the token is due for renewal. The fast path, with no allocation.
   */
  ready(): Session | null | undefined
  /** The session to send with, waiting for the storage or a refresh first when needed. */
  sessionFor(signal: SignalLike | undefined, request: RequestSummary): Promise<Session | null>
  /** Which access token is current: changes whenever it does. */
  generation(): number
  /**
   * A request that carried the token of `sent` was refused: resolves `true` once a
   * retry may go out (after the refresh it needed, which it may have started), or
   * `false` when there is no session to retry with.
   */
  afterRefusal(
    sent: number,
    signal: SignalLike | undefined,
    request: RequestSummary,
  ): Promise<boolean>
  /** Whether a request is the refresh call itself (sent from inside `refresh`, or with its signal). */
  isRefreshCall(signal: unknown): boolean
  /** A new request id for events. */
  nextId(): number
  /** Calls `detach` on `auth.destroy()`; returns the function that forgets it. */
  track(detach: () => void): () => void
  /** DPoP proofs and nonces for requests whose token is DPoP-bound; `null` without `dpop()`. */
  readonly dpop: DpopLink | null
}

const engines = new WeakMap<object, Engine>()

/** Links an `auth` to its engine, for transports created later. */
export const registerEngine = (auth: object, engine: Engine): void => {
  engines.set(auth, engine)
}

/** The engine behind an `auth` that `createAuth()` returned. */
export function engineOf(auth: object): Engine {
  const engine = engines.get(auth)
  if (!engine) throw new InvalidOptionsError('auth')
  return engine
}
