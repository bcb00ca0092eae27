import type { SessionControls } from '@retoken/core'
import { type DpopEntry, recordDpop } from './dpopEntries'

/** One row of the devtools timeline. */
export type TimelineEntry =
  | {
      kind: 'request'
      id: string
      at: number
      method: string
      url: string
      /** What happened to it so far, in order: `sent`, `401`, `queued`, `retried`, `succeeded`, `failed`. */
      steps: string[]
      status: number | null
    }
  | {
      kind: 'refresh'
      id: string
      at: number
      reason: string
      /** `pending`, `succeeded`, `failed (fatal)` or `failed (transient)`. */
      outcome: string
      /** Which tab called the server: `this tab`, `another tab`, or `null` while unknown. */
      tab: 'this tab' | 'another tab' | null
      endedAt: number | null
    }
  | { kind: 'session'; id: string; at: number; label: string }
  | DpopEntry

/** Records the public events of an `auth` into timeline rows, as a small external store. */
export interface TimelineRecorder {
  getSnapshot(): readonly TimelineEntry[]
  subscribe(listener: () => void): () => void
  clear(): void
  /** While paused, the snapshot stays as it was; events are still recorded and shown on resume. */
  setPaused(paused: boolean): void
  /** Events recorded while paused, not yet in the snapshot. */
  getBuffered(): number
  /** Stops listening to `auth`. */
  dispose(): void
}

interface RequestInfo {
  id?: string | number
  method?: string
  url?: string
}

type Listen = (type: string, listener: (event: Record<string, unknown>) => void) => () => void

/**
 * Starts recording `auth`'s events. Events that this core version does not emit
 * (`requestStarted`, `requestFinished`, `tabSync`; the DPoP ones without `dpop()`) simply never arrive.
 * @example const recorder = createTimelineRecorder(auth, { limit: 200 })
 */
export function createTimelineRecorder(
  auth: Pick<SessionControls, 'on'>,
  { limit = 300, now = () => Date.now() }: { limit?: number; now?: () => number } = {},
): TimelineRecorder {
  let entries: TimelineEntry[] = []
  // what readers see: frozen while paused, so nothing moves under the reader's eyes
  let shown: readonly TimelineEntry[] = entries
  let paused = false
  let buffered = 0
  let sequence = 0
  const listeners = new Set<() => void>()
  const notify = () => {
    for (const listener of listeners) listener()
  }
  const publish = (next: TimelineEntry[]) => {
    entries = next.slice(-limit)
    if (paused) buffered += 1
    else shown = entries
    notify()
  }
  const add = (entry: TimelineEntry) => publish([...entries, entry])
  const update = (id: string, change: (entry: TimelineEntry) => TimelineEntry) =>
    publish(entries.map((entry) => (entry.id === id ? change(entry) : entry)))
  const nextId = (prefix: string) => `${prefix}-${++sequence}`
  const requestIds = new WeakMap<object, string>()
  const requestKey = (event: Record<string, unknown>): { key: string; info: RequestInfo } => {
    const request = (event.request ?? event.config ?? {}) as RequestInfo & object
    if (request.id !== undefined) return { key: `request-${request.id}`, info: request }
    let key = requestIds.get(request)
    if (!key) {
      key = nextId('request')
      requestIds.set(request, key)
    }
    return { key, info: request }
  }
  const step = (event: Record<string, unknown>, name: string, status?: number | null) => {
    const { key, info } = requestKey(event)
    if (!entries.some((entry) => entry.id === key)) {
      add({
        kind: 'request',
        id: key,
        at: now(),
        method: (info.method ?? 'GET').toUpperCase(),
        url: info.url ?? '',
        steps: [],
        status: null,
      })
    }
    update(key, (entry) =>
      entry.kind === 'request'
        ? { ...entry, steps: [...entry.steps, name], status: status ?? entry.status }
        : entry,
    )
  }
  let openRefresh: string | null = null
  const endRefresh = (outcome: string, tab: 'this tab' | 'another tab' | null) => {
    if (!openRefresh) return
    const id = openRefresh
    openRefresh = null
    update(id, (entry) =>
      entry.kind === 'refresh' ? { ...entry, outcome, tab, endedAt: now() } : entry,
    )
  }
  /**
   * Requests still waiting when the refresh failed or the session ended (queued, or refused
   * with a 401 that no refresh will answer now): they will not be sent again.
   */
  const endWaiting = (step: string) => {
    const waiting = entries.filter(
      (entry) =>
        entry.kind === 'request' &&
        (entry.steps.at(-1) === 'queued' || entry.steps.at(-1) === '401'),
    )
    if (waiting.length === 0) return
    const ids = new Set(waiting.map((entry) => entry.id))
    publish(
      entries.map((entry) =>
        entry.kind === 'request' && ids.has(entry.id)
          ? { ...entry, steps: [...entry.steps, step] }
          : entry,
      ),
    )
  }
  const reasons: Record<string, string> = {
    expiring: 'proactive',
    rejected: '401',
    timer: 'timer',
    manual: 'manual',
  }
  const on = auth.on as unknown as Listen
  const session = (label: string) =>
    add({ kind: 'session', id: nextId('session'), at: now(), label })
  const offs = [
    // a retry's start is the requestRetried step already: one 'retried' per retry
    on('requestStarted', (event) => {
      if (!event.retry) step(event, 'sent')
    }),
    on('requestFinished', (event) => {
      const status = typeof event.status === 'number' ? event.status : null
      step(event, event.ok ? 'succeeded' : status === 401 ? '401' : 'failed', status)
    }),
    on('requestQueued', (event) => step(event, 'queued')),
    on('requestRetried', (event) => step(event, 'retried')),
    on('refreshStarted', (event) => {
      openRefresh = nextId('refresh')
      add({
        kind: 'refresh',
        id: openRefresh,
        at: now(),
        reason: reasons[String(event.reason)] ?? String(event.reason),
        outcome: 'pending',
        tab: null,
        endedAt: null,
      })
    }),
    on('refreshSucceeded', (event) => {
      const tab = event.source === 'other-tab' ? 'another tab' : 'this tab'
      if (tab === 'another tab' && !openRefresh) {
        session('another tab refreshed; this tab took its tokens')
        return
      }
      endRefresh('succeeded', tab)
    }),
    on('refreshFailed', (event) => {
      endRefresh(event.fatal ? 'failed (fatal)' : 'failed (transient)', null)
      endWaiting('failed (no token)')
    }),
    on('loggedIn', () => session('logged in')),
    on('loggedOut', () => {
      endWaiting('canceled')
      session('logged out')
    }),
    on('sessionExpired', () => session('session expired')),
    on('tabSync', (event) => session(`another tab: ${String(event.change)}`)),
    on('storageFailed', (event) => session(`storage failed to ${String(event.operation)}`)),
    ...recordDpop(on, add, () => nextId('dpop'), now),
  ]
  return {
    getSnapshot: () => shown,
    getBuffered: () => buffered,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    clear() {
      entries = []
      shown = entries
      buffered = 0
      notify()
    },
    setPaused(value) {
      paused = value
      if (!paused) {
        shown = entries
        buffered = 0
      }
      notify()
    },
    dispose() {
      for (const off of offs) off()
      listeners.clear()
    },
  }
}
