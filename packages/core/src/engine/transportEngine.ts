import { isRefreshFailedError } from '../errors/RefreshFailedError'
import type { Engine, SignalLike } from './engine'
import type { LocalRefresh } from './localRefresh'
import type { RefreshCoordinator } from './refreshCoordinator'
import type { Restore } from './restore'
import { isExpired, type Session } from './session'
import { isFresh, type SessionCore } from './sessionCore'
import type { RefreshReason, RequestSummary } from './types'

/** The session to use now, renewed first when it is due; `wait` joins the refresh. */
export async function obtainSession(
  core: SessionCore,
  coordinator: RefreshCoordinator<Session>,
  restore: Restore,
  wait: (reason: RefreshReason) => Promise<Session>,
): Promise<Session | null> {
  await restore.done
  const current = core.session
  // going out with the token being replaced would only earn a 401
  if (coordinator.isRefreshing) return wait('rejected')
  if (!current || isFresh(core, current)) return current
  try {
    return await wait('expiring')
  } catch (error) {
    // a renewal that failed for now still leaves a token that works until it expires
    if (!isRefreshFailedError(error) || isExpired(current, core.config.now())) throw error
    return current
  }
}

/** The engine as transports see it: see {@link Engine}. */
export function createTransportEngine(
  core: SessionCore,
  coordinator: RefreshCoordinator<Session>,
  local: LocalRefresh,
  restore: Restore,
  detachers: Set<() => void>,
): Engine {
  const { events, queue } = core
  let requestIds = 0

  function waitForRefresh(
    signal: SignalLike | undefined,
    request: RequestSummary,
    reason: RefreshReason,
  ) {
    const waiting = queue.wait(signal)
    events.emit('requestQueued', { request })
    // the outcome reaches this request through the queue
    coordinator.refresh(reason).catch(() => {})
    return waiting
  }

  return {
    events,
    dpop: core.dpop,
    ready() {
      if (restore.pending) return undefined
      const current = core.session
      if (coordinator.isRefreshing || (current && !isFresh(core, current))) return undefined
      return current
    },
    sessionFor: (signal, request) =>
      obtainSession(core, coordinator, restore, (reason) =>
        waitForRefresh(signal, request, reason),
      ),
    generation: () => core.generation,
    async afterRefusal(sent, signal, request) {
      if (!core.session && !coordinator.isRefreshing) return false
      // a request refused with an older token than the current one starts no refresh:
      // the token it needed is already here (or on its way)
      if (!core.session || core.generation === sent) {
        await waitForRefresh(signal, request, 'rejected')
      }
      return true
    },
    isRefreshCall: (signal) => local.inside || (signal != null && signal === coordinator.signal),
    nextId: () => ++requestIds,
    track(detach) {
      detachers.add(detach)
      return () => {
        detachers.delete(detach)
        detach()
      }
    },
  }
}
