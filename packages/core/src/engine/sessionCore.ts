import type { DpopLink } from '../dpop/dpop'
import { InvalidTokenError } from '../errors/InvalidTokenError'
import { createEmitter, type Emitter } from './emitter'
import type { TimerLink } from './extensions'
import { memoryStorage } from './memoryStorage'
import type { ResolvedAuthOptions } from './options'
import { redactSecret } from './redactSecret'
import { createRequestQueue, type RequestQueue } from './requestQueue'
import {
  isDueForRenewal,
  type Session,
  sessionFromStorage,
  sessionFromTokens,
  toStoredSession,
} from './session'
import { createStore, type Store } from './store'
import type { AuthEvents, AuthState, RefreshResult, StoredSession, TokenStorage } from './types'

const LOGGED_OUT: AuthState = {
  status: 'unauthenticated',
  accessToken: null,
  claims: null,
  expiresAt: null,
  isRefreshing: false,
  error: null,
}

/**
 * The state every part of the engine shares: the session and its counters, the
 * store the app reads, the events, the queue and the storage writes. Only
 * {@link replaceSession} changes the session.
 */
export interface SessionCore {
  readonly config: ResolvedAuthOptions
  readonly storage: TokenStorage
  readonly store: Store<AuthState>
  readonly events: Emitter<AuthEvents>
  readonly queue: RequestQueue<Session>
  session: Session | null
  /** Which access token: bumps on every change. */
  generation: number
  /** Which session: bumps on login, logout and expiry, which voids a refresh in flight. */
  epoch: number
  /** The renewal timer, re-armed after every change; `null` without `autoRefresh`. */
  timer: TimerLink | null
  /** DPoP's key, proofs and nonces; `null` without `dpop()`. */
  dpop: DpopLink | null
  /** Writes to the storage, one after another. */
  save(value: StoredSession): Promise<void>
  /** Removes the stored session, in order with the writes. */
  remove(): Promise<void>
  /** Tells the app a write failed (`storageFailed`), with `refreshToken` redacted from the error. */
  storageFailed(operation: 'save' | 'remove', error: unknown, refreshToken: string | null): void
}

/** Creates the shared state of one `auth`, logged out. */
export function createSessionCore(config: ResolvedAuthOptions): SessionCore {
  const storage = config.storage ?? memoryStorage()
  const events = createEmitter<AuthEvents>()
  // Writes run one after another, so a slow set() can never land after a later remove().
  // A storage that fails (quota, private mode) must not break the session in memory,
  // but the app is told: a reload or another tab will not see the change.
  let writes: Promise<void> = Promise.resolve()
  const storageFailed: SessionCore['storageFailed'] = (operation, error, refreshToken) =>
    events.emit('storageFailed', { operation, error: redactSecret(error, refreshToken) })
  const persist = (
    operation: 'save' | 'remove',
    work: () => void | Promise<void>,
    refreshToken: string | null = null,
  ): Promise<void> => {
    writes = writes
      .then(work)
      .catch((error: unknown) => storageFailed(operation, error, refreshToken))
    return writes
  }
  return {
    config,
    storage,
    store: createStore<AuthState>(LOGGED_OUT),
    events,
    queue: createRequestQueue<Session>(),
    session: null,
    generation: 0,
    epoch: 0,
    timer: null,
    dpop: null,
    save: (value) => persist('save', () => storage.set(value), value.refreshToken),
    remove: () => persist('remove', () => storage.remove()),
    storageFailed,
  }
}

/** Puts `next` in place (or none), publishes it in the state and re-arms the timer. */
export function replaceSession(
  core: SessionCore,
  next: Session | null,
  patch: Partial<AuthState> = {},
): void {
  core.session = next
  core.generation += 1
  core.store.setState({
    status: next ? 'authenticated' : 'unauthenticated',
    accessToken: next?.accessToken ?? null,
    claims: next?.claims ?? null,
    expiresAt: next?.expiresAt ?? null,
    ...patch,
  })
  core.timer?.arm()
}

/** The session tokens that just arrived give; throws `InvalidTokenError` if unusable. */
export function buildSession(
  core: SessionCore,
  result: RefreshResult,
  presented: string | null,
): Session {
  const { config } = core
  const session = sessionFromTokens(result, presented, {
    now: config.now(),
    clockToleranceMs: config.clockToleranceMs,
    tokenFormat: config.tokenFormat,
    refreshMarginMs: config.refreshMarginMs,
  })
  const { tokenType } = result
  if (tokenType === 'DPoP' && core.dpop) {
    session.tokenType = tokenType
    // the key signed the proof these tokens answered, so it is loaded by now
    session.dpopJkt = core.dpop.jkt
  } else if (tokenType !== undefined && tokenType !== 'Bearer') {
    throw new InvalidTokenError('bad-token-type')
  }
  return session
}

/** Whether a session can be used as is, without renewing it first. */
export const isFresh = (core: SessionCore, session: Session): boolean =>
  !isDueForRenewal(session, core.config.now(), core.config.refreshMarginMs)

/** Rebuilds a stored session; `null` if unusable. */
export const readSession = (core: SessionCore, value: unknown): Session | null =>
  sessionFromStorage(value, core.config.tokenFormat)

/** The current session as a storage keeps it. */
export const storedSession = (core: SessionCore): StoredSession | null =>
  core.session ? toStoredSession(core.session) : null
