import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { autoRefresh, createAuth } from '../src/index'
import { gatedRefresh, refreshWithAxios, useMockAuthServer } from './harness'

// Vitest's fake clock drives both the mock server (now: Date.now) and the client.
describe('autoRefresh', () => {
  const { server } = useMockAuthServer({ now: () => Date.now() })

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  const loggedIn = async (options: Parameters<typeof createAuth>[0] | object = {}) => {
    const auth = createAuth({ refresh: refreshWithAxios, autoRefresh: autoRefresh(), ...options })
    await auth.setTokens(await server.issueTokens())
    return auth
  }

  it('should renew before expiry with no traffic', async () => {
    const auth = await loggedIn()
    const first = auth.getState().accessToken
    // due at 48 s (a 60 s token, 12 s margin; `exp` in whole seconds takes up to 1 s off);
    // the timer fires a lead of 1 to 2 s ahead of that: between 45 and 47 s
    await vi.advanceTimersByTimeAsync(44_000)
    expect(server.counters.refreshCalls).toBe(0)
    const renewed = new Promise((resolve) => auth.on('refreshSucceeded', resolve))
    await vi.advanceTimersByTimeAsync(4_000)
    expect(server.counters.refreshCalls).toBe(1)
    await renewed
    expect(auth.getState().accessToken).not.toBe(first)
    const renewedAgain = new Promise((resolve) => auth.on('refreshSucceeded', resolve))
    await vi.advanceTimersByTimeAsync(49_000)
    await renewedAgain
    expect(server.counters.refreshCalls).toBe(2)
    auth.destroy()
  })

  it('should accept autoRefresh: false and renew nothing without traffic', async () => {
    const auth = await loggedIn({ autoRefresh: false })
    await vi.advanceTimersByTimeAsync(5 * 60_000)
    expect(server.counters.refreshCalls).toBe(0)
    expect(auth.getState().status).toBe('authenticated')
    auth.destroy()
  })

  it('should back off after failures instead of looping', async () => {
    const auth = await loggedIn()
    server.faults.failNextRefresh(100, 'server-error')
    await vi.advanceTimersByTimeAsync(48_000 + 60_000)
    // first try at ~48 s, then waits of at least 5 s growing: a handful, never hundreds
    expect(server.counters.refreshCalls).toBeGreaterThanOrEqual(3)
    expect(server.counters.refreshCalls).toBeLessThanOrEqual(8)
    expect(auth.getState().status).toBe('authenticated')
    auth.destroy()
  })

  it('should join a refresh already in flight rather than start another', async () => {
    const { refresh, release, calls } = gatedRefresh()
    const auth = await loggedIn({ refresh })
    await vi.advanceTimersByTimeAsync(40_000)
    const manual = auth.refresh()
    await vi.advanceTimersByTimeAsync(10_000)
    release()
    await manual
    expect(calls()).toBe(1)
    auth.destroy()
  })

  it('should stop when the session ends', async () => {
    const auth = await loggedIn()
    await auth.logout()
    await vi.advanceTimersByTimeAsync(10 * 60_000)
    expect(server.counters.refreshCalls).toBe(0)
  })

  it('should renew at once when a hidden page becomes visible after its timer slept', async () => {
    const page = Object.assign(new EventTarget(), { visibilityState: 'visible' })
    vi.stubGlobal('document', page)
    vi.stubGlobal('window', new EventTarget())
    const auth = await loggedIn()
    // the laptop sleeps: the wall clock jumps, the timer has not fired
    vi.setSystemTime(Date.now() + 55_000)
    page.dispatchEvent(new Event('visibilitychange'))
    await vi.advanceTimersByTimeAsync(0)
    expect(server.counters.refreshCalls).toBe(1)
    auth.destroy()
  })
})

describe('autoRefresh in Node', () => {
  const { server } = useMockAuthServer({ now: () => Date.now() })

  it('should never keep the process alive', async () => {
    const tokens = await server.issueTokens()
    const auth = createAuth({ refresh: refreshWithAxios, autoRefresh: autoRefresh() })
    const created: ReturnType<typeof setTimeout>[] = []
    const realSetTimeout = globalThis.setTimeout
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((
      ...args: Parameters<typeof setTimeout>
    ) => {
      const timer = realSetTimeout(...args)
      created.push(timer)
      return timer
    }) as typeof setTimeout)
    await auth.setTokens(tokens)
    expect(created.length).toBeGreaterThan(0)
    expect(created.every((timer) => !timer.hasRef())).toBe(true)
    auth.destroy()
  })
})
