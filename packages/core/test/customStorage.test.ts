import axios from 'axios'
import { describe, expect, it, vi } from 'vitest'
import {
  coordinateStorage,
  createAuth,
  isRefreshFailedError,
  type SharedRecord,
  type SharedStore,
  type StoredSession,
  sharedStorage,
  type TokenStorage,
  webStorage,
} from '../src/index'
import { API, refreshWithAxios, useMockAuthServer } from './harness'

// Clients keep real time while the server's clock moves: an expiry reaches them as 401s.
describe('storages written by hand, as a new user would write them', () => {
  const { server } = useMockAuthServer()
  let offset = 0
  const expire = () => {
    offset += 61
    server.clock.setOffset(offset)
  }

  const client = (storage: TokenStorage) => {
    const api = axios.create({ baseURL: API })
    const auth = createAuth({ refresh: refreshWithAxios, storage, refreshMargin: 0 })
    auth.attach(api)
    return { api, auth }
  }

  const burst = (api: ReturnType<typeof axios.create>, count: number) =>
    Promise.allSettled(Array.from({ length: count }, () => api.get('/api/orders')))

  it('should keep refreshing in memory when localStorage is full and IndexedDB is missing', async () => {
    const full = {
      value: null as string | null,
      getItem: () => full.value,
      setItem: () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
      },
      removeItem: () => {},
    }
    full.value = JSON.stringify(
      await server.issueTokens().then(async (tokens) => {
        const seed = createAuth({ refresh: refreshWithAxios })
        await seed.setTokens(tokens)
        const { accessToken, expiresAt } = seed.getState()
        return {
          accessToken,
          refreshToken: tokens.refreshToken,
          expiresAt,
          lifetime: 60_000,
          clockOffset: 0,
        }
      }),
    )
    const { api, auth } = client(webStorage(full, 'app'))
    expect(auth.getState().status).toBe('authenticated')
    for (let round = 1; round <= 3; round++) {
      expire()
      const results = await burst(api, 3)
      expect(results.filter((r) => r.status === 'rejected')).toEqual([])
      expect(server.counters).toMatchObject({ refreshCalls: round, reuseDetections: 0 })
    }
    auth.destroy()
  })

  it('should neither adopt nor spend the old session a cache keeps serving inside the lock', async () => {
    let real: StoredSession | null = null
    let cached: StoredSession | null = null
    let queue: Promise<unknown> = Promise.resolve()
    // a cache in front of the store that serves the value as it was first read
    const storage: TokenStorage = {
      get: () => cached ?? real,
      set: (session) => {
        real = session
        cached ??= session
      },
      remove: () => {
        real = null
      },
      lock<T>(task: () => Promise<T>) {
        const run = queue.then(task, task)
        queue = run.catch(() => {})
        return run
      },
      tabs: coordinateStorage(),
    }
    const { api, auth } = client(storage)
    await auth.setTokens(await server.issueTokens())
    // every write waits (up to 2 s) to read itself back, which this cache never shows
    for (let round = 1; round <= 2; round++) {
      expire()
      const results = await burst(api, 3)
      expect(results.filter((r) => r.status === 'rejected')).toEqual([])
      expect(server.counters).toMatchObject({ refreshCalls: round, reuseDetections: 0 })
    }
    auth.destroy()
  }, 30_000)

  it('should keep a refresh it cannot share in memory, and say so once the store stays unreachable', async () => {
    // the retries back off on timers and give up when the claim's lease runs out (25 s)
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], shouldAdvanceTime: true })
    try {
      let value: StoredSession | null = null
      let unreachable = false
      let queue: Promise<unknown> = Promise.resolve()
      const storage: TokenStorage = {
        get: async () => value,
        // a client that puts its arguments in its error, as Redis clients do
        set: async (session) => {
          if (unreachable)
            throw new Error(`connection lost while writing ${JSON.stringify(session)}`)
          value = session
        },
        remove: async () => {
          value = null
        },
        lock<T>(task: () => Promise<T>) {
          const run = queue.then(task, task)
          queue = run.catch(() => {})
          return run
        },
        tabs: coordinateStorage(),
      }
      const { api, auth } = client(storage)
      const failures: Array<{ operation: string; error: unknown }> = []
      auth.on('storageFailed', (event) => failures.push(event))
      await auth.setTokens(await server.issueTokens())
      expect(failures).toEqual([])

      unreachable = true
      expire()
      const results = await burst(api, 3)
      expect(results.filter((r) => r.status === 'rejected')).toEqual([])
      expect(server.counters).toMatchObject({ refreshCalls: 1, reuseDetections: 0 })
      const rotated = auth.getState().accessToken
      // still retrying: nothing is said while the write may yet land
      await vi.advanceTimersByTimeAsync(10_000)
      expect(failures).toEqual([])
      await vi.advanceTimersByTimeAsync(20_000)
      expect(failures).toHaveLength(1)
      expect(failures[0]?.operation).toBe('save')
      const told = String((failures[0]?.error as Error | undefined)?.message)
      expect(told).toContain('connection lost')
      expect(told).toContain('"refreshToken":"[redacted]"')
      expect(told).not.toMatch(/"refreshToken":"(?!\[redacted\])/)
      // the new tokens stay in use in this process
      expect(auth.getState()).toMatchObject({ status: 'authenticated', accessToken: rotated })
      await expect(api.get('/api/orders')).resolves.toMatchObject({ status: 200 })
      auth.destroy()
    } finally {
      vi.useRealTimers()
    }
  })

  it("should write the real tokens on retry when a failed commit's error held the record it was given", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], shouldAdvanceTime: true })
    try {
      let record: SharedRecord | null = null
      let failNextRefresh = false
      const store: SharedStore = {
        read: async () => record,
        // a client whose error keeps a reference to what it was asked to write
        async write(next) {
          if (failNextRefresh && next.change === 'refresh') {
            failNextRefresh = false
            throw Object.assign(new Error('connection reset'), { record: next })
          }
          if ((record?.version ?? 0) !== next.version - 1)
            return { written: false, current: record }
          record = structuredClone(next)
          return { written: true }
        },
      }
      const first = client(sharedStorage(store))
      await first.auth.setTokens(await server.issueTokens())
      failNextRefresh = true
      expire()
      await expect(first.api.get('/api/orders')).resolves.toMatchObject({ status: 200 })
      // the commit is written again after its back-off
      await vi.advanceTimersByTimeAsync(500)
      const stored = (record as SharedRecord | null)?.session
      expect(stored?.accessToken).toBe(first.auth.getState().accessToken)
      expect(stored?.refreshToken).not.toBe('[redacted]')
      // a second process takes the stored session and spends its refresh token at the next expiry
      const second = client(sharedStorage(store))
      await second.auth.restore()
      expire()
      await expect(second.api.get('/api/orders')).resolves.toMatchObject({ status: 200 })
      expect(server.counters).toMatchObject({ refreshCalls: 2, reuseDetections: 0 })
      first.auth.destroy()
      second.auth.destroy()
    } finally {
      vi.useRealTimers()
    }
  })

  it('should keep the refresh token out of the error when a shared store that quotes its arguments fails', async () => {
    let record: SharedRecord | null = null
    let unreachable = false
    const store: SharedStore = {
      read: async () => record,
      // as a database client that puts the statement's parameters in its error
      async write(next) {
        if (unreachable) throw new Error(`write failed with ${JSON.stringify(next)}`)
        if ((record?.version ?? 0) !== next.version - 1) return { written: false, current: record }
        record = structuredClone(next)
        return { written: true }
      },
    }
    const { api, auth } = client(sharedStorage(store))
    const tokens = await server.issueTokens()
    await auth.setTokens(tokens)
    unreachable = true
    expire()
    const [result] = await burst(api, 1)
    expect(result?.status).toBe('rejected')
    const error = (result as PromiseRejectedResult).reason as Error
    expect(isRefreshFailedError(error)).toBe(true)
    expect(error.message).toContain('write failed with')
    expect(error.message).toContain('"refreshToken":"[redacted]"')
    expect(JSON.stringify({ message: error.message, cause: String(error.cause) })).not.toContain(
      tokens.refreshToken,
    )
    // the claim was never written, so the token was not spent: the session is kept
    expect(server.counters.refreshCalls).toBe(0)
    expect(auth.getState().status).toBe('authenticated')
    auth.destroy()
  })
})
