import axios from 'axios'
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest'
import { build } from '#dev'
import {
  coordinateStorage,
  createAuth,
  type StoredSession,
  type TokenStorage,
  webStorage,
} from '../src/index'
import { API, refreshWithAxios, useMockAuthServer } from './harness'

// Warnings are for developers: the production build has none (docs/decisions/017), and
// what a production app needs of them reaches it as events (`storageFailed`).
describe.runIf(build === 'development')('warnings in development', () => {
  const { server } = useMockAuthServer()
  let warn: MockInstance<typeof console.warn>
  const said = () => warn.mock.calls.map((call) => String(call[0]))

  beforeEach(() => {
    vi.stubEnv('NODE_ENV', 'development')
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
  })
  afterEach(() => {
    warn.mockRestore()
    vi.unstubAllGlobals()
    vi.unstubAllEnvs()
  })

  const client = (storage: TokenStorage) => {
    const api = axios.create({ baseURL: API })
    const auth = createAuth({ refresh: refreshWithAxios, storage, refreshMargin: 0 })
    auth.attach(api)
    return { api, auth }
  }

  it("should say what to pass when a storage's lock and subscribe would be ignored", () => {
    const shared: TokenStorage = {
      get: () => null,
      set: () => {},
      remove: () => {},
      subscribe: () => () => {},
      lock: (task) => task(),
    }
    createAuth({ refresh: refreshWithAxios, storage: shared, tabs: false })
    expect(warn).not.toHaveBeenCalled()
    createAuth({ refresh: refreshWithAxios, storage: shared })
    expect(said()).toEqual([expect.stringContaining('tabs: coordinateStorage()')])
  })

  it('should say, once, that a browser without IndexedDB cannot hold a lock across tabs', () => {
    // a page (window) whose browser has no IndexedDB, as Node has none
    vi.stubGlobal('window', { addEventListener() {}, removeEventListener() {} })
    const localStorageLike = { getItem: () => null, setItem() {}, removeItem() {} }
    for (let i = 0; i < 2; i++) {
      createAuth({ refresh: refreshWithAxios, storage: webStorage(localStorageLike) }).destroy()
    }
    expect(said()).toEqual([expect.stringContaining('no IndexedDB or BroadcastChannel')])
  })

  it('should say that a login could not be shared, without the refresh token', async () => {
    const storage: TokenStorage = {
      get: () => null,
      set: (session) => {
        throw new Error(`cannot write ${JSON.stringify(session)}`)
      },
      remove: () => {},
      lock: (task) => task(),
      tabs: coordinateStorage(),
    }
    const { auth } = client(storage)
    const tokens = await server.issueTokens()
    await auth.setTokens(tokens)
    expect(auth.getState().status).toBe('authenticated')
    expect(said()).toEqual([expect.stringContaining('other processes do not know of this login')])
    expect(said().join('\n')).not.toContain(tokens.refreshToken)
    auth.destroy()
  })

  it('should say, once, that a tab refreshes alone beside a storage it cannot write', async () => {
    let value: StoredSession | null = null
    let full = false
    const storage: TokenStorage = {
      get: () => value,
      set: (session) => {
        if (full) {
          throw new DOMException(`no room for ${JSON.stringify(session)}`, 'QuotaExceededError')
        }
        value = session
      },
      remove: () => {
        value = null
      },
      subscribe: () => () => {},
      tabs: coordinateStorage(),
    }
    const { api, auth } = client(storage)
    const tokens = await server.issueTokens()
    await auth.setTokens(tokens)
    full = true
    // clients keep real time while the server's clock moves: each expiry reaches them as a 401
    for (let round = 1; round <= 2; round++) {
      server.clock.setOffset(61 * round)
      await expect(api.get('/api/orders')).resolves.toMatchObject({ status: 200 })
    }
    expect(server.counters).toMatchObject({ refreshCalls: 2, reuseDetections: 0 })
    expect(said().filter((line) => line.includes('this tab refreshes on its own'))).toHaveLength(1)
    expect(said().join('\n')).not.toContain(tokens.refreshToken)
    auth.destroy()
  })
})
