import { warnTabsUncoordinated } from '#dev'
import type { RefreshResult, StorageSharing, StoredSession } from '../engine/types'
import { type Ledger, openLedger, type TabChange } from './ledger'
import { openTabChannel, type TabChannel } from './tabChannel'
import { followChanges } from './tabFollow'
import { leaseLock, type TabLock, webLock } from './tabLock'
import { publishChange } from './tabPublish'
import { refreshUnderLock } from './tabRefresh'
import type { TabState } from './tabState'

/** How a coordinated refresh ended for this tab. */
export type TabRefreshOutcome =
  | { kind: 'refreshed'; stored: StoredSession }
  | { kind: 'adopted'; stored: StoredSession }
  | { kind: 'loggedOut' }

/** What one refresh needs from the session it renews. */
export interface TabRefreshWork {
  signal: AbortSignal
  /** This tab's session now (another tab's handover may have replaced it while this one waited). */
  current(): StoredSession | null
  /** The access token this refresh was asked to replace. */
  replacing: string | null
  /** Whether a session can be used as is (not due for renewal). */
  isFresh(session: StoredSession): boolean
  /** Calls the user's refresh function with this refresh token. */
  spend(refreshToken: string | null): Promise<RefreshResult>
  /** Turns a result into the session to keep; throws if it is unusable. */
  toStored(result: RefreshResult, presented: string | null): StoredSession
  /** Persists the session in the app's storage (inside the lock, so writes keep their order). */
  save(session: StoredSession): Promise<void>
  /** A refresh that outlived its caller (timeout) succeeded: its tokens must not be lost. */
  late(session: StoredSession, presented: string | null): void
}

/** Keeps the tabs of one app on one session, with one refresh at a time across them. */
export interface TabCoordinator {
  refresh(work: TabRefreshWork): Promise<TabRefreshOutcome>
  /**
   * Orders a login or logout with the other tabs' refreshes, then tells them; `session`
   * is the new session of a login, or the one a logout ended.
   */
  publish(
    change: 'login' | 'logout',
    session: StoredSession | null,
    save: () => Promise<void>,
  ): Promise<void>
  /** Calls `onChange` when another tab changed the session this tab follows. */
  follow(
    current: () => StoredSession | null,
    onChange: (change: TabChange, session: StoredSession | null) => void,
  ): () => void
  close(): void
}

interface TabCoordinatorOptions {
  name: string
  sharing: StorageSharing
  /** How long a lock may be held: the refresh timeout plus room for the late answer. */
  leaseMs: number
  now(): number
  /** A storage's own lock, which replaces the browser's. */
  lock?: (<T>(task: () => Promise<T>) => Promise<T>) | undefined
}

/**
 * Creates the coordinator, or returns `null` where there are no tabs to coordinate
 * (Node, workers without IndexedDB) or nothing is shared between them.
 */
export function createTabCoordinator(options: TabCoordinatorOptions): TabCoordinator | null {
  if (typeof window === 'undefined') return null
  const ledger = openLedger(`retoken:${options.name}`)
  const channel = openTabChannel(`retoken:${options.name}`)
  if (!ledger || !channel) {
    if (options.sharing !== 'none') warnTabsUncoordinated()
    return null
  }
  return tabCoordinator(options, ledger, channel)
}

function tabCoordinator(
  options: TabCoordinatorOptions,
  ledger: Ledger,
  channel: TabChannel,
): TabCoordinator {
  const locks = (globalThis.navigator as { locks?: Parameters<typeof webLock>[0] } | undefined)
    ?.locks
  const lock: TabLock = options.lock
    ? (_signal, task) => options.lock!(task)
    : locks
      ? webLock(locks, `retoken:${options.name}`)
      : leaseLock(ledger.db, options.name, options.leaseMs, {
          announce: () => channel.post({ type: 'released' }),
          listen: (onWake) => channel.listen((m) => m.type === 'released' && onWake()),
        })
  // sharing, leaseMs and now come from the options; the tab lock replaces the storage's
  const state: TabState = {
    ...options,
    ledger,
    channel,
    lock,
    known: 0,
    publishing: 0,
    seen: ledger.read().then(
      (record) => {
        state.known = Math.max(state.known, record.version)
        return record
      },
      () => null,
    ),
  }
  return {
    refresh: (work) => refreshUnderLock(state, work),
    publish: (change, session, save) => publishChange(state, change, session, save),
    follow: (current, onChange) => followChanges(state, current, onChange),
    close: () => channel.close(),
  }
}
