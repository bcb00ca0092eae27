import { useSyncExternalStore } from 'react'
import type { MockState } from '../server/mockState'
import { mockControl } from './auth'

/** What the page knows of the server: its last answer to `GET /__mock/state`, or that it failed. */
export interface ServerView {
  state: MockState | null
  unreachable: boolean
}

let view: ServerView = { state: null, unreachable: false }
const listeners = new Set<() => void>()
let timer: ReturnType<typeof setInterval> | undefined

/** Reads the server's state now (after a control action) and tells every subscriber. */
export async function pollServer(): Promise<MockState | null> {
  try {
    const state = await mockControl<MockState>('state', {}, 'GET')
    view = { state, unreachable: false }
  } catch {
    view = { ...view, unreachable: true }
  }
  for (const listener of listeners) listener()
  return view.state
}

function subscribe(listener: () => void) {
  listeners.add(listener)
  // one poll a second for the whole page, however many components read it
  if (!timer) {
    void pollServer()
    timer = setInterval(pollServer, 1_000)
  }
  return () => {
    listeners.delete(listener)
    if (listeners.size === 0) {
      clearInterval(timer)
      timer = undefined
    }
  }
}

/** The server's state, polled once a second and after every control action. */
export function useServerState(): ServerView {
  return useSyncExternalStore(
    subscribe,
    () => view,
    () => view,
  )
}

/** A clock time in one format for the whole page (24 h, with seconds). */
export const formatClock = (at: number) => new Date(at).toLocaleTimeString([], { hour12: false })
