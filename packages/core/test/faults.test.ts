import axios from 'axios'
import { describe, expect, it, vi } from 'vitest'
import {
  autoRefresh,
  createAuth,
  isRefreshFailedError,
  memoryStorage,
  type StoredSession,
  type TokenStorage,
} from '../src/index'
import { API, loggedInClient, refreshWithAxios, useMockAuthServer } from './harness'

describe('single-tab faults', () => {
  const { server, clock } = useMockAuthServer()

  it('should keep the new tokens in memory when the storage is full', async () => {
    const full: TokenStorage = {
      sharing: 'tabs',
      get: () => null,
      set: () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
      },
      remove: () => {},
    }
    const { api, auth } = await loggedInClient(server, clock, { storage: full, refreshMargin: 0 })
    for (let expiry = 0; expiry < 3; expiry++) {
      clock.advance(61)
      await expect(api.get('/api/echo')).resolves.toMatchObject({ status: 200 })
    }
    expect(server.counters.refreshCalls).toBe(3)
    expect(server.counters.reuseDetections).toBe(0)
    expect(auth.getState().status).toBe('authenticated')
  })

  it('should tell the app, once per failed write, that the storage could not keep the session', async () => {
    let failing = true
    let kept: StoredSession | null = null
    const flaky: TokenStorage = {
      get: () => null,
      // a client that puts what it was given in its error, as a Redis client puts its arguments
      set: async (session) => {
        if (failing) throw new Error(`cannot write ${JSON.stringify(session)}`)
        kept = session
      },
      remove: async () => {
        if (failing) throw new DOMException('The storage is unavailable.', 'SecurityError')
        kept = null
      },
    }
    const refreshTokens: string[] = []
    const auth = createAuth({
      refresh: async (context) => {
        const next = await refreshWithAxios(context)
        if (next.refreshToken) refreshTokens.push(next.refreshToken)
        return next
      },
      now: clock.now,
      storage: flaky,
    })
    const failures: Array<{ operation: string; error: unknown }> = []
    auth.on('storageFailed', (event) => failures.push(event))
    const tokens = await server.issueTokens()
    refreshTokens.push(tokens.refreshToken)
    await auth.setTokens(tokens)
    expect(auth.getState().status).toBe('authenticated')
    expect(failures).toHaveLength(1)
    const [firstFailure] = failures
    expect(firstFailure?.operation).toBe('save')
    expect(firstFailure?.error).toBeInstanceOf(Error)
    const message = String((firstFailure?.error as Error | undefined)?.message)
    expect(message).toContain(`"accessToken":"${tokens.accessToken}"`)
    expect(message).toContain('"refreshToken":"[redacted]"')

    // the session in memory still renews, and each failed write is told
    clock.advance(61)
    await expect(auth.getAccessToken()).resolves.toEqual(expect.any(String))
    await vi.waitFor(() => expect(failures).toHaveLength(2))
    expect(refreshTokens).toHaveLength(2)
    const messages = JSON.stringify(failures.map((failure) => String(failure.error)))
    for (const refreshToken of refreshTokens) expect(messages).not.toContain(refreshToken)

    await auth.logout()
    await vi.waitFor(() => expect(failures).toHaveLength(3))
    expect(failures[2]).toMatchObject({ operation: 'remove', error: { name: 'SecurityError' } })
    expect(auth.getState().status).toBe('unauthenticated')

    // a storage that works again is not reported
    failing = false
    await auth.setTokens(await server.issueTokens())
    expect(kept).not.toBeNull()
    expect(failures).toHaveLength(3)
  })

  it('should order async writes: a slow set() never lands after a later remove()', async () => {
    let value: StoredSession | null = null
    const encrypting: TokenStorage = {
      get: async () => value,
      set: async (session) => {
        await new Promise((resolve) => setTimeout(resolve, 5))
        value = session
      },
      remove: async () => {
        value = null
      },
    }
    const auth = createAuth({ refresh: refreshWithAxios, now: clock.now, storage: encrypting })
    const login = auth.setTokens(await server.issueTokens())
    const logout = auth.logout()
    await Promise.all([login, logout])
    expect(value).toBeNull()
  })

  it('should survive an async storage whose value throws when read, and log in afterwards', async () => {
    const hostile: TokenStorage = {
      get: async () =>
        ({
          get accessToken(): string {
            throw new Error('decryption failed')
          },
        }) as unknown as StoredSession,
      set: () => {},
      remove: () => {},
    }
    const api = axios.create({ baseURL: API })
    const auth = createAuth({ refresh: refreshWithAxios, now: clock.now, storage: hostile })
    auth.attach(api)
    await expect(auth.restore()).resolves.toMatchObject({ status: 'unauthenticated' })
    await auth.setTokens(await server.issueTokens())
    await expect(api.get('/api/echo')).resolves.toMatchObject({ status: 200 })
  })

  it('should settle every queued request when a subscribe() listener throws', async () => {
    const { api, auth } = await loggedInClient(server, clock, { refreshMargin: 0 })
    const thrown: unknown[] = []
    const onUncaught = (error: unknown) => thrown.push(error)
    process.on('uncaughtException', onUncaught)
    auth.subscribe(() => {
      throw new Error('listener bug')
    })
    clock.advance(61)
    try {
      const results = await Promise.all([api.get('/api/echo'), api.get('/api/orders')])
      expect(results.map((r) => r.status)).toEqual([200, 200])
      expect(auth.getState().isRefreshing).toBe(false)
      await new Promise((resolve) => setImmediate(resolve))
      expect(thrown.length).toBeGreaterThan(0) // reported, not swallowed
    } finally {
      process.off('uncaughtException', onUncaught)
    }
  })

  it('should not loop when the clock returns NaN with autoRefresh', async () => {
    vi.useFakeTimers()
    try {
      const refresh = vi.fn(refreshWithAxios)
      const auth = createAuth({ refresh, autoRefresh: autoRefresh(), now: () => Number.NaN })
      await auth.setTokens(await server.issueTokens())
      await vi.advanceTimersByTimeAsync(60_000)
      // the broken clock falls back to the real one: one renewal at most, not thousands
      expect(refresh.mock.calls.length).toBeLessThanOrEqual(1)
      auth.destroy()
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('refresh token redaction', () => {
  const { server, clock } = useMockAuthServer()

  it('should keep the refresh token out of errors, events and snapshots', async () => {
    const storage = memoryStorage()
    const { api, auth } = await loggedInClient(server, clock, { storage, refreshMargin: 0 })
    const refreshToken = (await storage.get())?.refreshToken ?? ''
    expect(refreshToken).not.toBe('')
    const payloads: unknown[] = []
    auth.on('refreshFailed', (payload) => payloads.push(payload))
    server.faults.failNextRefresh(1, 'server-error')
    clock.advance(61)

    const error = await api.get('/api/echo').catch((e: unknown) => e)

    expect(isRefreshFailedError(error)).toBe(true)
    const seen = new WeakSet<object>()
    const leaks = (value: unknown, depth = 0): boolean => {
      if (typeof value === 'string') return value.includes(refreshToken)
      if (typeof value !== 'object' || value === null || depth > 8 || seen.has(value)) return false
      seen.add(value)
      const keys = [...Object.keys(value), 'message', 'cause', 'stack']
      return keys.some((key) => leaks((value as Record<string, unknown>)[key], depth + 1))
    }
    expect(leaks(error)).toBe(false)
    expect(leaks(payloads)).toBe(false)
    expect(leaks(auth.getState())).toBe(false)
    expect(String((error as Error).cause)).not.toContain(refreshToken)
  })
})
