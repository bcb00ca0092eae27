import axios from 'axios'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  type Auth,
  coordinateTabs,
  createAuth,
  type StoredSession,
  type TokenStorage,
  webStorage,
} from '../src/index'
import { API, refreshWithAxios, useMockAuthServer } from './harness'

/**
 * What tabs of one origin share: one localStorage entry, change notifications that
 * reach every tab but the writer (as the `storage` event does), and a lock (as Web
 * Locks give). A test double for the browser, not for retoken.
 */
function sharedOrigin() {
  let value: StoredSession | null = null
  const tabs = new Set<() => void>()
  let queue: Promise<unknown> = Promise.resolve()
  return {
    tab(): TokenStorage {
      let listener = () => {}
      const notifyOthers = () => {
        for (const other of tabs) if (other !== listener) other()
      }
      return {
        get: () => value,
        set: (session) => {
          value = session
          notifyOthers()
        },
        remove: () => {
          value = null
          notifyOthers()
        },
        subscribe(onChange) {
          listener = onChange
          tabs.add(onChange)
          return () => tabs.delete(onChange)
        },
        lock<T>(task: () => Promise<T>) {
          const run = queue.then(task, task)
          queue = run.catch(() => {})
          return run
        },
      }
    },
  }
}

// what another tab stored arrives asynchronously: wait for this tab's next state change
const nextChange = (auth: Auth) =>
  new Promise<void>((resolve) => {
    const stop = auth.subscribe(() => {
      stop()
      resolve()
    })
  })

describe('tabs sharing one stored session', () => {
  const { server, clock } = useMockAuthServer()

  const openTab = (storage: TokenStorage): { auth: Auth; api: ReturnType<typeof axios.create> } => {
    const api = axios.create({ baseURL: API })
    const auth = createAuth({
      refresh: refreshWithAxios,
      now: clock.now,
      refreshMargin: 0,
      storage,
      // in Node there are no browser tabs: coordination falls back to the storage's lock
      tabs: coordinateTabs(),
    })
    auth.attach(api)
    return { auth, api }
  }

  it('should refresh once across tabs, so rotation never sees the old token twice', async () => {
    const origin = sharedOrigin()
    const first = openTab(origin.tab())
    await first.auth.setTokens(await server.issueTokens())
    const second = openTab(origin.tab())
    expect(second.auth.getState().accessToken).toBe(first.auth.getState().accessToken)
    server.clock.setOffset(61)

    const responses = await Promise.all([first.api.get('/api/echo'), second.api.get('/api/echo')])

    expect(responses.map((r) => r.status)).toEqual([200, 200])
    expect(server.counters.refreshCalls).toBe(1)
    expect(server.counters.reuseDetections).toBe(0)
  })

  it('should adopt tokens another tab refreshed, without a refresh of its own', async () => {
    const origin = sharedOrigin()
    const first = openTab(origin.tab())
    await first.auth.setTokens(await server.issueTokens())
    const second = openTab(origin.tab())
    const adopted = nextChange(second.auth)
    const renewed = await first.auth.refresh()
    await adopted
    expect(second.auth.getState().accessToken).toBe(renewed)
    expect(server.counters.refreshCalls).toBe(1)
  })

  it('should log out every tab when one logs out', async () => {
    const origin = sharedOrigin()
    const first = openTab(origin.tab())
    await first.auth.setTokens(await server.issueTokens())
    const second = openTab(origin.tab())
    const loggedOut = vi.fn()
    second.auth.on('loggedOut', loggedOut)
    const followed = nextChange(second.auth)
    await first.auth.logout()
    await followed
    expect(second.auth.getState().status).toBe('unauthenticated')
    expect(loggedOut).toHaveBeenCalledTimes(1)
  })
})

describe('webStorage across tabs', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  const memory = () => {
    const map = new Map<string, string>()
    return {
      getItem: (key: string) => map.get(key) ?? null,
      setItem: (key: string, value: string) => void map.set(key, value),
      removeItem: (key: string) => void map.delete(key),
    }
  }

  it('should hear storage events for its key only', () => {
    const page = new EventTarget()
    vi.stubGlobal('window', page)
    const onChange = vi.fn()
    const stop = webStorage(memory(), 'app.session').subscribe?.(onChange)
    page.dispatchEvent(Object.assign(new Event('storage'), { key: 'other' }))
    page.dispatchEvent(Object.assign(new Event('storage'), { key: 'app.session' }))
    page.dispatchEvent(Object.assign(new Event('storage'), { key: null })) // localStorage.clear()
    expect(onChange).toHaveBeenCalledTimes(2)
    stop?.()
    page.dispatchEvent(Object.assign(new Event('storage'), { key: 'app.session' }))
    expect(onChange).toHaveBeenCalledTimes(2)
  })

  it('should say who shares it, and name itself after its kind and key', () => {
    const local = webStorage(memory(), 'app.session')
    expect(local.sharing).toBe('tabs')
    expect(local.id).toBe('local:app.session')
  })
})
