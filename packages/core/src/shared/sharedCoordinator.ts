import type { Renewal, TabsHost, TabsLink } from '../engine/extensions'
import { RequestCanceledError } from '../engine/requestQueue'
import { type Session, toStoredSession } from '../engine/session'
import type { StoredSession } from '../engine/types'
import { untilAborted } from '../engine/untilAborted'
import { fingerprint } from '../tabs/fingerprint'
import { isSpent, nextRecord, pruneSpent, randomId } from './record'
import { storeFailed, withStore } from './storeFailed'
import type { SharedRecord, SharedStore } from './types'
import { underLock } from './underLock'
import { createWakeups, POLL_MS } from './wakeups'
import { warnAlone, warnUnpublished } from './warnings'

/** The newest record a process has seen; shared with the storage's `get()`. */
export interface SharedView {
  known: SharedRecord | null
}

/**
 * One session across processes on a {@link SharedStore}: a refresh claims the refresh
 * token with a conditional write before spending it, and commits the new tokens with
 * a conditional write on that claim, so two processes can never spend one token and a
 * holder whose lease ran out can never overwrite a newer session. The store's lock,
 * when it has one, only keeps waiters from polling (see docs/decisions/014).
 */
export function coordinateShared(host: TabsHost, store: SharedStore, view: SharedView): TabsLink {
  const owner = randomId()
  // refresh tokens this process presented: never presented again, whatever a store says
  const spentHere = new Set<string>()
  const wakeups = createWakeups()
  const ownVersions = new Set<number>()
  let publishing = 0
  let closed = false

  /** Keeps the newest record seen; returns whether `record` is news. */
  function observe(record: SharedRecord | null): boolean {
    if (!record || (view.known && record.version <= view.known.version)) return false
    view.known = record
    return true
  }

  /** Reads the store; a read older than what this process knows (a lagging replica, a stale cache) is ignored. */
  async function readLatest(): Promise<SharedRecord | null> {
    observe(await withStore(() => store.read()))
    return view.known
  }

  const nextChance = (signal: AbortSignal, until: number) => wakeups.wait(signal, until)

  const usable = (session: StoredSession | null): session is StoredSession =>
    session !== null &&
    !(session.refreshToken !== null && spentHere.has(fingerprint(session.refreshToken)))

  async function renewOnce(
    signal: AbortSignal,
    replacing: string | null,
    startedIn: number,
    lease?: AbortSignal,
  ) {
    const loggedOutAt = view.known?.version ?? 0
    for (;;) {
      signal.throwIfAborted()
      const record = await readLatest()
      if (record && record.change === 'logout' && record.version > loggedOutAt) {
        return { kind: 'loggedOut' as const }
      }
      // the store's session, unless it carries a token this process spent: then its own is newer
      const base = usable(record?.session ?? null) ? record!.session : host.current()
      const candidate = base ? host.read(base) : null
      if (
        candidate &&
        usable(base) &&
        candidate.accessToken !== replacing &&
        !isSpent(record, candidate.refreshToken) &&
        host.isFresh(candidate)
      ) {
        return { kind: 'adopted' as const, session: candidate }
      }
      const presented = base?.refreshToken ?? null
      const claimed = record?.claim
      const busy = claimed && claimed.owner !== owner && claimed.until > Date.now()
      // Another process is spending a token, or the store still shows a token this
      // process (or the ledger) knows is spent: the store is behind. Wait, never spend.
      if (busy || !usable(base) || isSpent(record, presented)) {
        await nextChance(signal, busy ? claimed.until : Date.now() + POLL_MS)
        continue
      }
      const claim = nextRecord(record, 'claim', base, Date.now(), {
        claim: {
          token: presented === null ? '' : fingerprint(presented),
          owner,
          until: Date.now() + host.leaseMs,
        },
      })
      // what the new tokens are written on top of: the claim, once it is stored
      let writtenOn: SharedRecord | null = claim
      try {
        const knownBefore = view.known?.version ?? 0
        if (!(await writeOwn(claim))) {
          // refused with nothing newer to show: a store that lags or lies; look again later
          if ((view.known?.version ?? 0) <= knownBefore)
            await nextChance(signal, Date.now() + POLL_MS)
          continue
        }
      } catch (error) {
        // a store that cannot be written (a full localStorage) may let this process go on alone
        if (store.whenUnavailable !== 'refresh-alone') throw storeFailed(error)
        warnAlone(error)
        writtenOn = record
      }
      // refresh is never called with a signal that is already aborted, nor on a lost lease
      signal.throwIfAborted()
      if (lease?.aborted) {
        void releaseClaim(writtenOn)
        throw storeFailed(lease.reason)
      }
      if (presented !== null) spentHere.add(fingerprint(presented))
      const call = host.spend(presented, signal)
      let built: Session
      try {
        built = host.build(await untilAborted(call, signal), presented)
      } catch (error) {
        if (signal.aborted) keepLateResult(call, writtenOn, presented, startedIn)
        // the others need not wait out the claim of a refresh that failed
        else void releaseClaim(writtenOn)
        throw error
      }
      if (await commit(writtenOn, built, presented))
        return { kind: 'refreshed' as const, session: built }
      // someone wrote after the claim ran out (a login, a logout, a takeover): theirs is newer
      const winner = view.known
      if (winner === null || winner.change === 'logout') return { kind: 'loggedOut' as const }
      const session = winner?.session ? host.read(winner.session) : null
      return session
        ? { kind: 'adopted' as const, session }
        : { kind: 'refreshed' as const, session: built }
    }
  }

  /**
   * Writes the new tokens on top of this process's claim: `false` when someone wrote
   * after the claim ran out. A store that fails now is tried again in the background:
   * the server has rotated the token already, so these tokens must not be lost.
   */
  async function commit(base: SharedRecord | null, built: Session, presented: string | null) {
    const spent = pruneSpent(base?.spent ?? {}, Date.now())
    if (presented !== null) spent[fingerprint(presented)] = Date.now()
    const next = nextRecord(base, 'refresh', toStoredSession(built), Date.now(), { spent })
    try {
      if (await writeOwn(next)) return true
      // emptied meanwhile: a logout, where stores remove the session on logout
      if (view.known === null) return !store.emptyMeansLoggedOut
      // refused by a store that holds nothing newer than the spent token: ours still stands
      return !usable(view.known.session) && view.known.change !== 'logout'
    } catch {
      void retryCommit(next, Date.now() + host.leaseMs)
      return true
    }
  }

  async function retryCommit(next: SharedRecord, until: number) {
    for (let delay = 100; !closed && Date.now() < until; delay = Math.min(delay * 2, 2000)) {
      await new Promise((resolve) => setTimeout(resolve, delay))
      try {
        const written = await writeOwn(next)
        // someone wrote meanwhile: theirs is newer, and the engine follows it
        if (!written && view.known) host.follow('refresh', view.known.session)
        return
      } catch {
        // still unreachable: try again until the claim runs out
      }
    }
  }

  /** A conditional write of this process's; its own notification is then no news. */
  async function writeOwn(next: SharedRecord): Promise<boolean> {
    if (ownVersions.size > 32) ownVersions.clear()
    ownVersions.add(next.version)
    const result = await store.write(next)
    if (result.written) {
      observe(next)
      return true
    }
    ownVersions.delete(next.version)
    // Nothing stored, on the authoritative copy: the store lost its data (a Redis
    // restarted without persistence, a key past its TTL). Versions start again.
    if (result.current === null) view.known = null
    observe(result.current)
    return false
  }

  /** Withdraws this process's claim (only if nothing was written since), so others may refresh. */
  async function releaseClaim(claim: SharedRecord | null) {
    if (!claim?.claim || claim.claim.owner !== owner) return
    const released = nextRecord(claim, 'claim', claim.session, Date.now(), { spent: claim.spent })
    await writeOwn(released).catch(() => {})
  }

  // The refresh outlived its caller's timeout: its answer is kept if it still can be.
  function keepLateResult(
    call: Promise<unknown>,
    claim: SharedRecord | null,
    presented: string | null,
    startedIn: number,
  ) {
    call
      .then(
        async (result) => {
          const built = host.build(result as Parameters<TabsHost['build']>[0], presented)
          if (await commit(claim, built, presented)) host.adoptLate(built, presented, startedIn)
        },
        () => releaseClaim(claim),
      )
      .catch(() => {})
  }

  async function publishChange(
    change: 'login' | 'logout',
    session: StoredSession | null,
    signal: AbortSignal,
  ) {
    for (;;) {
      const record = await readLatest()
      const next = nextRecord(record, change, change === 'logout' ? null : session, Date.now())
      if (await withStore(() => writeOwn(next))) return
      if ((view.known?.version ?? 0) <= (record?.version ?? 0)) {
        await nextChance(signal, Date.now() + POLL_MS)
      }
    }
  }

  const stopFollowing =
    store.subscribe?.(() => {
      wakeups.wakeAll()
      if (publishing > 0 || closed) return
      withStore(() => store.read()).then(
        (record) => {
          // a storage emptied by a logout elsewhere (plain storages remove the session)
          if (record === null && view.known?.session && store.emptyMeansLoggedOut) {
            view.known = null
            return host.follow('logout', null)
          }
          // only news: what this process wrote itself, or older than it knows, is not
          if (!record || ownVersions.has(record.version) || !observe(record)) return
          if (publishing > 0 || record.change === 'claim') return
          if (record.session && !usable(record.session)) return
          if (record.change === 'logout') return host.follow('logout', null)
          // a session this process already holds is ignored by the engine
          host.follow(record.change, record.session)
        },
        () => {},
      )
    }) ?? (() => {})

  return {
    async renew(signal): Promise<Renewal> {
      const replacing = host.current()?.accessToken ?? null
      const startedIn = host.epoch()
      const work = (lease?: AbortSignal) => renewOnce(signal, replacing, startedIn, lease)
      const outcome = await (store.lock
        ? underLock(store.lock, { signal, leaseMs: host.leaseMs }, work)
        : work())
      if (outcome.kind === 'loggedOut') {
        host.follow('logout', null)
        throw new RequestCanceledError(
          'The refresh was abandoned: the session ended in another process',
        )
      }
      return {
        session: outcome.session,
        source: outcome.kind === 'refreshed' ? 'this-tab' : 'other-tab',
      }
    },

    async publish(change, session) {
      publishing += 1
      try {
        const signal = AbortSignal.timeout(host.leaseMs)
        const write = () => publishChange(change, session, signal)
        // a login or logout waits for a refresh elsewhere, so that refresh cannot overwrite it
        if (store.lock) await store.lock(write, { signal, leaseMs: host.leaseMs }).catch(write)
        else await write()
      } catch (error) {
        // The session stays in memory here; other processes learn of it with the next write.
        warnUnpublished(error)
      } finally {
        publishing -= 1
      }
    },

    close() {
      closed = true
      stopFollowing()
      wakeups.wakeAll()
    },
  }
}
