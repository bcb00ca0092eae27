import axios, { isCancel } from 'axios'
import { describe, expect, it, vi } from 'vitest'
import {
  createAuth,
  isRefreshFailedError,
  isSessionExpiredError,
  memoryStorage,
} from '../src/index'
import {
  API,
  gatedRefresh,
  loggedInClient,
  recordEvents,
  refreshWithAxios,
  useMockAuthServer,
} from './harness'

describe('refresh failures', () => {
  const { server, clock } = useMockAuthServer()

  it('should end the session once when the refresh token is rejected', async () => {
    const storage = memoryStorage()
    const { api, auth } = await loggedInClient(server, clock, { storage, refreshMargin: 0 })
    const events = recordEvents(auth)
    server.faults.revokeAllSessions()

    const results = await Promise.allSettled([api.get('/api/echo'), api.get('/api/orders')])

    for (const result of results) {
      expect(result.status).toBe('rejected')
      expect(isSessionExpiredError((result as PromiseRejectedResult).reason)).toBe(true)
    }
    expect(events.filter((e) => e === 'sessionExpired')).toHaveLength(1)
    expect(auth.getState()).toMatchObject({ status: 'unauthenticated', accessToken: null })
    expect(isSessionExpiredError(auth.getState().error)).toBe(true)
    expect(storage.get()).toBeNull()
    // later requests go out without a token and start nothing
    await expect(api.get('/api/echo')).rejects.toMatchObject({ response: { status: 401 } })
    expect(server.counters.refreshCalls).toBe(1)
  })

  it.each([
    ['a 500', 'server-error'],
    ['a network error', 'network-error'],
  ] as const)(
    'should keep the session after %s and try again on the next request',
    async (_, mode) => {
      const { api, auth } = await loggedInClient(server, clock, { refreshMargin: 0 })
      const events = recordEvents(auth)
      const before = auth.getState().accessToken
      server.clock.setOffset(61)
      server.faults.failNextRefresh(1, mode)

      await expect(api.get('/api/echo')).rejects.toSatisfy(isRefreshFailedError)
      expect(auth.getState()).toMatchObject({ status: 'authenticated', accessToken: before })
      expect(events).not.toContain('sessionExpired')

      await expect(api.get('/api/echo')).resolves.toMatchObject({ status: 200 })
      expect(server.counters.refreshCalls).toBe(2)
    },
  )

  it('should reject a request aborted while queued at once and leave the rest alone', async () => {
    const { refresh, release } = gatedRefresh()
    const { api, auth } = await loggedInClient(server, clock, { refreshMargin: 0, refresh })
    server.clock.setOffset(61)
    const controller = new AbortController()
    const queued = new Promise<void>((resolve) => auth.on('requestQueued', () => resolve()))
    const aborted = api.get('/api/echo', { signal: controller.signal })
    const other = api.get('/api/echo')
    await queued
    controller.abort()
    await expect(aborted).rejects.toSatisfy(isCancel)
    expect(auth.getState().isRefreshing).toBe(true)
    release()
    await expect(other).resolves.toMatchObject({ status: 200 })
    expect(server.counters.refreshCalls).toBe(1)
  })

  it('should throw away a refresh that finishes after logout', async () => {
    const { refresh, release } = gatedRefresh({ holdResult: true })
    const storage = memoryStorage()
    const { api, auth } = await loggedInClient(server, clock, {
      refreshMargin: 0,
      refresh,
      storage,
    })
    const events = recordEvents(auth)
    server.clock.setOffset(61)
    const queued = new Promise<void>((resolve) => auth.on('requestQueued', () => resolve()))
    const pending = api.get('/api/echo')
    await queued
    await auth.logout()
    release()
    await expect(pending).rejects.toSatisfy(isCancel)
    await Promise.resolve()
    expect(auth.getState()).toMatchObject({ status: 'unauthenticated', accessToken: null })
    expect(events).toContain('loggedOut')
    expect(events).not.toContain('refreshSucceeded')
    expect(events).not.toContain('sessionExpired')
    await new Promise((resolve) => setTimeout(resolve, 10))
    // a reload must not restore what the abandoned refresh returned
    expect(await storage.get()).toBeNull()
  })

  it('should abort a refresh that outlives refreshTimeout and count it as transient', async () => {
    let seen: AbortSignal | undefined
    const auth = createAuth({
      now: clock.now,
      refreshTimeout: 50,
      // never settles and ignores its signal: the timeout must still win
      refresh: ({ signal }) => {
        seen = signal
        return new Promise(() => {})
      },
    })
    await auth.setTokens(await server.issueTokens())
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const outcome = auth.refresh().catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(50)
    const error = await outcome
    vi.useRealTimers()
    expect(isRefreshFailedError(error)).toBe(true)
    expect((error as Error).message).toMatch(/within 50 ms/)
    expect(seen?.aborted).toBe(true)
    expect(auth.getState().status).toBe('authenticated')
  })

  it('should never retry the refresh call itself', async () => {
    const api = axios.create({ baseURL: API })
    const auth = createAuth({ refresh: refreshWithAxios, now: clock.now, refreshMargin: 0 })
    auth.attach(api)
    await auth.setTokens(await server.issueTokens())
    server.clock.setOffset(61)
    server.faults.failNextRefresh(1, 'server-error')
    await expect(api.get('/api/echo')).rejects.toSatisfy(isRefreshFailedError)
    expect(server.counters.refreshCalls).toBe(1)
  })
})
