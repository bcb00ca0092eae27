import type { Lifecycle } from './lifecycle'
import type { LocalRefresh } from './localRefresh'
import type { Session } from './session'
import type { SessionCore } from './sessionCore'
import type { RefreshResult, StorageSharing, StoredSession, TokenStorage } from './types'

// The engine's two optional parts plug in through these interfaces, so an app that
// does not use them does not ship their code (see docs/decisions/010).

/** What one refresh produced: the new session, and which tab called the server for it. */
export interface Renewal {
  session: Session
  source: 'this-tab' | 'other-tab'
}

/** What tab coordination gets from the engine. */
export interface TabsHost {
  /** The name the app gave, or the storage's id. */
  name: string
  sharing: StorageSharing
  /** How long a refresh may hold the cross-tab lock: its timeout plus room for a late answer. */
  leaseMs: number
  now(): number
  /** The app's storage (its own `lock` and `subscribe`, when it has them, replace the browser's). */
  storage: TokenStorage
  /** This tab's session, as stored. */
  current(): StoredSession | null
  /** Rebuilds a stored session; `null` if unusable. */
  read(stored: unknown): Session | null
  /** Whether a session can be used as is. */
  isFresh(session: Session): boolean
  /** Calls the app's refresh with this refresh token; errors come back redacted. */
  spend(refreshToken: string | null, signal: AbortSignal): Promise<RefreshResult>
  /** Builds the session a refresh result gives; throws `InvalidTokenError` if unusable. */
  build(result: RefreshResult, presented: string | null): Session
  /** Writes to the app's storage, in order with every other write. */
  save(session: StoredSession): Promise<void>
  /** Tells the app a shared write failed for good: the session lives in this process only. */
  storageFailed(operation: 'save' | 'remove', error: unknown, refreshToken: string | null): void
  /** The session counter: it changes on login and logout. */
  epoch(): number
  /** A refresh that outlived its timeout succeeded: keep its tokens if nothing newer came. */
  adoptLate(session: Session, presented: string | null, startedIn: number): boolean
  /** Another tab changed the session: a login, a refresh, or a logout (`null`). */
  follow(change: 'login' | 'refresh' | 'logout', session: StoredSession | null): void
}

/** What the engine gets from tab coordination. */
export interface TabsLink {
  /** Refreshes once across tabs, or takes the tokens another tab just got. */
  renew(signal: AbortSignal): Promise<Renewal>
  /** Orders a login or logout with the other tabs' refreshes, runs `save`, then tells them. */
  publish(
    change: 'login' | 'logout',
    session: StoredSession | null,
    save: () => Promise<void>,
  ): Promise<void>
  close(): void
}

/**
 * The engine's parts a tab coordinator builds its {@link TabsHost} from (with
 * `createTabsHost`), so an app without coordination ships none of that code.
 */
export interface TabsEngine {
  core: SessionCore
  local: LocalRefresh
  lifecycle: Lifecycle
}

/** Tab coordination, as `coordinateTabs()` returns it; `null` where there are no tabs. */
export type TabsPlugin = (engine: TabsEngine) => TabsLink | null

/** What the renewal timer gets from the engine. */
export interface TimerHost {
  /** Milliseconds until requests would start renewing the token themselves; `null`: nothing to renew. */
  msUntilDue(): number | null
  /** Starts (or joins) a refresh. */
  refresh(): Promise<unknown>
}

/** What the engine gets from the renewal timer. */
export interface TimerLink {
  /** Schedules the timer for the current session (called after every change). */
  arm(): void
  /** Stops it. */
  disarm(): void
}

/** A renewal timer, as `autoRefresh()` returns it. */
export type TimerPlugin = (host: TimerHost) => TimerLink
