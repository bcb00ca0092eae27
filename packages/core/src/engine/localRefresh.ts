import type { Renewal } from './extensions'
import { redactSecret } from './redactSecret'
import { RefreshTimeoutError } from './refreshCoordinator'
import { type Session, toStoredSession } from './session'
import { buildSession, replaceSession, type SessionCore } from './sessionCore'
import type { RefreshResult } from './types'

/** Calling the app's `refresh` in this tab, and keeping the answer of one that timed out. */
export interface LocalRefresh {
  /** Whether the app's `refresh` is running synchronously right now (its own request is going out). */
  readonly inside: boolean
  /** Calls the app's refresh; whatever it throws is cleaned of the refresh token first. */
  spend(refreshToken: string | null, signal: AbortSignal): Promise<RefreshResult>
  /** A refresh that answered after its timeout rotated the token: keep what it returned. */
  adoptLate(next: Session, presented: string | null, startedIn: number): boolean
  /** Refreshes in this tab alone. */
  renew(signal: AbortSignal): Promise<Renewal>
}

/** Creates the local refresh; `isRefreshing` tells whether a newer refresh is in flight. */
export function createLocalRefresh(core: SessionCore, isRefreshing: () => boolean): LocalRefresh {
  let inside = false

  function spend(refreshToken: string | null, signal: AbortSignal): Promise<RefreshResult> {
    inside = true
    try {
      return new Promise<RefreshResult>((resolve) =>
        resolve(core.config.refresh({ refreshToken, signal, dpop: core.dpop?.refresh })),
      ).catch((error: unknown) => {
        throw redactSecret(error, refreshToken)
      })
    } finally {
      inside = false
    }
  }

  function adoptLate(next: Session, presented: string | null, startedIn: number): boolean {
    if (core.epoch !== startedIn || isRefreshing()) return false
    if ((core.session?.refreshToken ?? null) !== presented) return false
    replaceSession(core, next, { error: null })
    core.events.emit('refreshSucceeded', { accessToken: next.accessToken, source: 'this-tab' })
    return true
  }

  async function renew(signal: AbortSignal): Promise<Renewal> {
    const startedIn = core.epoch
    const presented = core.session?.refreshToken ?? null
    const call = spend(presented, signal)
    call.then(
      (result) => {
        if (!(signal.reason instanceof RefreshTimeoutError)) return
        const next = buildSession(core, result, presented)
        if (adoptLate(next, presented, startedIn)) void core.save(toStoredSession(next))
      },
      () => {},
    )
    const next = buildSession(core, await call, presented)
    // a logout while the refresh ran must not find its tokens stored afterwards
    if (!signal.aborted) void core.save(toStoredSession(next))
    return { session: next, source: 'this-tab' }
  }

  return {
    get inside() {
      return inside
    },
    spend,
    adoptLate,
    renew,
  }
}
