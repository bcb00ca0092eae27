import { describe, expect, it, vi } from 'vitest'
import { autoRefresh, createAuth, logTimeline, memoryStorage, type WakeSource } from '../src/index'
import { loggedInClient, refreshWithAxios, useMockAuthServer } from './harness'

/** A React Native `AppState` stand-in: the test says when the app comes back. */
function fakeAppState() {
  const listeners = new Set<() => void>()
  const source: WakeSource = (onWake) => {
    listeners.add(onWake)
    return () => listeners.delete(onWake)
  }
  const foreground = () => {
    for (const listener of listeners) listener()
  }
  return { source, foreground, count: () => listeners.size }
}

describe('wake source', () => {
  const { server, clock } = useMockAuthServer()

  it('should renew when the app comes back after its timer could not fire', async () => {
    vi.useFakeTimers()
    try {
      const app = fakeAppState()
      const { auth } = await loggedInClient(server, clock, {
        autoRefresh: autoRefresh({ wake: app.source }),
      })
      expect(app.count()).toBe(1)
      // the app slept through the renewal: its clock moved, its timers did not
      clock.advance(120)
      app.foreground()
      await vi.waitFor(() => expect(server.counters.refreshCalls).toBe(1))
      auth.destroy()
      expect(app.count()).toBe(0)
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('debug option', () => {
  const { server, clock } = useMockAuthServer()

  it('should log the timeline of a refresh with every token redacted', async () => {
    const lines: Array<[string, Record<string, unknown>]> = []
    const storage = memoryStorage()
    const { api, auth } = await loggedInClient(server, clock, { storage, refreshMargin: 0 })
    logTimeline(auth, (line, details) => lines.push([line, details]))
    const before = await storage.get()
    clock.advance(61)
    await api.get('/api/echo')
    const after = await storage.get()

    expect(lines.map(([line]) => line)).toEqual(
      expect.arrayContaining([
        'request queued for a refresh',
        'refresh started (expiring)',
        'refresh succeeded',
      ]),
    )
    const text = JSON.stringify(lines)
    for (const token of [
      before?.accessToken,
      before?.refreshToken,
      after?.accessToken,
      after?.refreshToken,
    ]) {
      expect(token).toBeTruthy()
      expect(text).not.toContain(token)
    }
  })

  it('should log a storage that could not keep the session, without its tokens', async () => {
    const lines: Array<[string, Record<string, unknown>]> = []
    const auth = createAuth({
      refresh: refreshWithAxios,
      now: clock.now,
      storage: {
        get: () => null,
        // a storage whose message quotes what it was given
        set: (session) => {
          throw new Error(`quota exceeded writing ${JSON.stringify(session)}`)
        },
        remove: () => {},
      },
    })
    logTimeline(auth, (line, details) => lines.push([line, details]))
    const tokens = await server.issueTokens()
    await auth.setTokens(tokens)
    expect(lines).toContainEqual([
      'storage failed to save the session, kept in memory',
      { operation: 'save', error: 'Error' },
    ])
    const text = JSON.stringify(lines)
    expect(text).not.toContain(tokens.accessToken)
    expect(text).not.toContain(tokens.refreshToken)
  })
})
