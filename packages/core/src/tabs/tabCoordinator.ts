import type { RefreshResult, StorageSharing, StoredSession } from '../engine/types'
import { untilAborted } from '../engine/untilAborted'
import { fingerprint } from './fingerprint'
import { type Ledger, type LedgerRecord, openLedger, pruneSpent, type TabChange } from './ledger'
import { openTabChannel, type TabChannel } from './tabChannel'
import { leaseLock, type TabLock, webLock } from './tabLock'

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

let warned = false

/**
 * Creates the coordinator, or returns `null` where there are no tabs to coordinate
 * (Node, workers without IndexedDB) or nothing is shared between them.
 */
export function createTabCoordinator(options: TabCoordinatorOptions): TabCoordinator | null {
  if (typeof window === 'undefined') return null
  const ledger = openLedger(`retoken:${options.name}`)
  const channel = openTabChannel(`retoken:${options.name}`)
  if (!ledger || !channel) {
    // for developers in a browser: not in production, nor in jsdom test runs
    const mode = typeof process !== 'undefined' ? process.env?.NODE_ENV : undefined
    if (!warned && mode !== 'production' && mode !== 'test' && options.sharing !== 'none') {
      warned = true
      console.warn(
        '[retoken] this browser has no IndexedDB or BroadcastChannel: tabs cannot share one refresh, and two tabs refreshing a rotated token may revoke the session.',
      )
    }
    return null
  }
  return tabCoordinator(options, ledger, channel)
}

function tabCoordinator(
  options: TabCoordinatorOptions,
  ledger: Ledger,
  channel: TabChannel,
): TabCoordinator {
  const { sharing, leaseMs, now } = options
  const locks = (globalThis.navigator as { locks?: Parameters<typeof webLock>[0] } | undefined)
    ?.locks
  const lock: TabLock = options.lock
    ? (_signal, task) => options.lock!(task)
    : locks
      ? webLock(locks, `retoken:${options.name}`)
      : leaseLock(ledger.db, options.name, leaseMs, {
          announce: () => channel.post({ type: 'released' }),
          listen: (onWake) => channel.listen((m) => m.type === 'released' && onWake()),
        })
  // the ledger version this tab's session reflects
  let known = 0
  // a login or logout of this tab waiting for the lock is newer than anything recorded meanwhile
  let publishing = 0
  const seen = ledger.read().then(
    (record) => {
      known = Math.max(known, record.version)
      return record
    },
    () => null,
  )

  // a session every tab shares: a shared storage, or a refresh token in an HttpOnly cookie
  const isShared = (session: StoredSession | null) =>
    sharing === 'tabs' || (session !== null && session.refreshToken === null)

  async function commitChange(
    change: TabChange,
    stored: StoredSession | null,
    presented: string | null,
    shared: boolean,
  ) {
    try {
      const next = await ledger.update((current) => {
        const spent = pruneSpent({ ...current.spent }, now())
        if (presented !== null && stored && sharing !== 'none') {
          spent[fingerprint(presented)] = { session: stored, at: now() }
        }
        if (!shared) return { ...current, spent }
        return {
          version: current.version + 1,
          change,
          session: stored,
          spent: change === 'logout' ? {} : spent,
        }
      })
      if (shared) known = next.version
      channel.post(shared ? { type: 'changed', version: next.version } : { type: 'changed' })
    } catch {
      // IndexedDB failing (quota, private mode) must not lose the tokens in memory
    }
  }

  function latest(record: LedgerRecord, from: StoredSession | null): StoredSession | null {
    let session = from
    // follow spent tokens to what replaced them: a duplicated tab, a missed handover
    for (let hops = 0; session?.refreshToken && hops < 64; hops++) {
      const entry = record.spent[fingerprint(session.refreshToken)]
      if (!entry) break
      session = entry.session
    }
    return session
  }

  return {
    async refresh(work) {
      await seen
      // without a session, the refresh token can only be an HttpOnly cookie, which all tabs share
      const shared = isShared(work.current()) || work.current() === null
      return lock(work.signal, async () => {
        work.signal.throwIfAborted()
        const record = await ledger.read().catch(() => null)
        let base = work.current()
        if (record && shared && record.version > known) {
          known = record.version
          if (record.session === null && record.change === 'logout' && base !== null) {
            return { kind: 'loggedOut' }
          }
          if (record.session) base = record.session
        }
        if (record) base = latest(record, base)
        if (base && base.accessToken !== work.replacing && work.isFresh(base)) {
          return { kind: 'adopted', stored: base }
        }
        // refresh is never called with a signal that is already aborted
        work.signal.throwIfAborted()
        const presented = base?.refreshToken ?? null
        const call = work.spend(presented)
        let stored: StoredSession
        try {
          stored = work.toStored(await untilAborted(call, work.signal), presented)
        } catch (error) {
          if (work.signal.aborted) await keepLateResult(call, work, presented, shared)
          throw error
        }
        await commitChange('refresh', stored, presented, shared)
        await work.save(stored)
        return { kind: 'refreshed', stored }
      })
    },

    async publish(change, session, save) {
      await seen
      const shared = isShared(session)
      if (!shared) return save()
      const signal = AbortSignal.timeout(leaseMs)
      const write = async () => {
        await commitChange(change, change === 'logout' ? null : session, null, true)
        await save()
      }
      publishing += 1
      try {
        // a login or logout waits for a refresh in another tab, so its result cannot overwrite it
        await lock(signal, write).catch(write)
      } finally {
        publishing -= 1
      }
    },

    follow(current, onChange) {
      return channel.listen(async (message) => {
        if (message.type !== 'changed' || publishing > 0) return
        const record = await ledger.read().catch(() => null)
        if (!record || publishing > 0) return
        const mine = current()
        // A shared change a live tab just made is news even if this tab's first read of the
        // ledger already saw it: that read may have finished after the change, before the
        // message. The engine ignores a session it already holds.
        const news = record.version > known || message.version !== undefined
        if (news && (isShared(mine) || mine === null)) {
          known = Math.max(known, record.version)
          if (record.change) onChange(record.change, record.session)
          return
        }
        const next = latest(record, mine)
        if (next && mine && next.accessToken !== mine.accessToken) onChange('refresh', next)
      })
    },

    close: () => channel.close(),
  }

  // Holding the lock until a timed-out call answers keeps the next tab from
  // presenting the same token meanwhile; a late success is recorded, not lost.
  async function keepLateResult(
    call: Promise<RefreshResult>,
    work: TabRefreshWork,
    presented: string | null,
    shared: boolean,
  ) {
    const result = await Promise.race([
      call.catch(() => null),
      new Promise<null>((resolve) => setTimeout(resolve, leaseMs, null)),
    ])
    if (!result) return
    try {
      const stored = work.toStored(result, presented)
      await commitChange('refresh', stored, presented, shared)
      work.late(stored, presented)
    } catch {
      // an unusable late answer changes nothing
    }
  }
}
