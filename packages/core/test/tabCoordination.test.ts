import axios, { type AxiosInstance } from 'axios'
import { IDBFactory } from 'fake-indexeddb'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  type Auth,
  type AuthOptions,
  coordinateTabs,
  createAuth,
  type StoredSession,
  type TokenStorage,
} from '../src/index'
import { API, gatedRefresh, refreshWithAxios, useMockAuthServer } from './harness'

/**
 * Tabs of one origin, in one Node process: IndexedDB (fake-indexeddb, a complete
 * implementation), BroadcastChannel (Node's own, which reaches every channel of the
 * same name in the process) and no `navigator.locks` (Node 20 has none), so the
 * IndexedDB lease is the lock. Storage is deliberately stale: each tab sees the value
 * it last wrote itself, as a Chromium tab may right after another tab's write, so
 * nothing here may depend on storage visibility.
 */
function origin(sharing: 'tabs' | 'duplicates' | 'none') {
  let written: StoredSession | null = null
  return {
    storage(copy: StoredSession | null = written): TokenStorage {
      let mine = copy
      return {
        sharing,
        id: 'test',
        get: () => mine,
        set: (value) => {
          mine = value
          written = value
        },
        remove: () => {
          mine = null
        },
      }
    },
    written: () => written,
  }
}

interface Tab {
  auth: Auth
  api: AxiosInstance
  events: string[]
}

const tabs: Tab[] = []
let app = 0

function openTab(storage: TokenStorage, options: Partial<AuthOptions> = {}): Tab {
  const api = axios.create({ baseURL: API })
  const auth = createAuth({
    refresh: refreshWithAxios,
    storage,
    refreshMargin: 0,
    tabs: coordinateTabs({ name: `app-${app}` }),
    ...options,
  })
  auth.attach(api)
  const events: string[] = []
  for (const type of ['loggedIn', 'loggedOut', 'tabSync', 'refreshSucceeded'] as const) {
    auth.on(type, (payload) =>
      events.push('source' in payload ? `${type}:${payload.source}` : type),
    )
  }
  const tab = { auth, api, events }
  tabs.push(tab)
  return tab
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5))
  expect(check()).toBe(true)
}

describe('tab coordination', () => {
  const { server, clock } = useMockAuthServer({ reuseGraceSeconds: 0 })

  beforeEach(() => {
    app += 1
    vi.stubGlobal('window', globalThis)
    vi.stubGlobal('indexedDB', new IDBFactory())
  })
  afterEach(() => {
    for (const tab of tabs.splice(0)) tab.auth.destroy()
  })

  it('should refresh once for bursts in 10 tabs over several expiries, never presenting a spent token', async () => {
    const shared = origin('tabs')
    const first = openTab(shared.storage(), { now: clock.now })
    await first.auth.setTokens(await server.issueTokens())
    const all = [
      first,
      ...Array.from({ length: 9 }, () => openTab(shared.storage(), { now: clock.now })),
    ]
    await Promise.all(all.map((tab) => tab.auth.restore()))

    for (let expiry = 1; expiry <= 3; expiry++) {
      clock.advance(61)
      const results = await Promise.all(
        all.flatMap((tab) => [tab.api.get('/api/echo'), tab.api.get('/api/orders')]),
      )
      expect(results.every((r) => r.status === 200)).toBe(true)
      expect(server.counters.refreshCalls).toBe(expiry)
    }
    expect(server.counters.reuseDetections).toBe(0)
    await until(() => new Set(all.map((t) => t.auth.getState().accessToken)).size === 1)
  })

  it('should hand a login to the other tabs, with loggedIn, and a logout that nothing undoes', async () => {
    const shared = origin('tabs')
    const a = openTab(shared.storage(), { now: clock.now })
    const b = openTab(shared.storage(), { now: clock.now })
    await a.auth.setTokens(await server.issueTokens())
    await until(() => b.auth.getState().status === 'authenticated')
    expect(b.events).toContain('loggedIn')
    expect(b.events).toContain('tabSync')

    // b starts a refresh that answers only after a logs out
    clock.advance(61)
    const pending = b.api.get('/api/echo').catch((error: unknown) => error)
    await a.auth.logout()
    await pending
    await until(() => b.auth.getState().status === 'unauthenticated')
    await new Promise((r) => setTimeout(r, 30))
    expect(a.auth.getState().status).toBe('unauthenticated')
    expect(b.auth.getState().status).toBe('unauthenticated')
    expect(server.counters.reuseDetections).toBe(0)
  })

  it('should let a newer login win over an older refresh that finishes after it', async () => {
    const shared = origin('tabs')
    const gated = gatedRefresh()
    const a = openTab(shared.storage(), { now: clock.now, refresh: gated.refresh })
    const b = openTab(shared.storage(), { now: clock.now })
    await a.auth.setTokens(await server.issueTokens())
    await until(() => b.auth.getState().status === 'authenticated')
    clock.advance(61)
    const refreshing = a.auth.refresh().catch(() => null)
    await until(() => gated.calls() === 1)
    const login = await server.issueTokens()
    const loggedIn = b.auth.setTokens(login)
    gated.release()
    await Promise.all([refreshing, loggedIn])
    await until(() => a.auth.getState().accessToken === login.accessToken)
    expect(b.auth.getState().accessToken).toBe(login.accessToken)
  })

  it('should recognise a duplicated sessionStorage tab and refresh its shared token once', async () => {
    const session = origin('duplicates')
    const original = openTab(session.storage(), { now: clock.now })
    await original.auth.setTokens(await server.issueTokens())
    // "Duplicate tab" copies sessionStorage, refresh token included
    const duplicate = openTab(session.storage(session.written()), { now: clock.now })
    await duplicate.auth.restore()
    clock.advance(61)
    const results = await Promise.all([
      original.api.get('/api/echo'),
      duplicate.api.get('/api/echo'),
    ])
    expect(results.map((r) => r.status)).toEqual([200, 200])
    clock.advance(61)
    await expect(duplicate.api.get('/api/echo')).resolves.toMatchObject({ status: 200 })
    await expect(original.api.get('/api/echo')).resolves.toMatchObject({ status: 200 })
    expect(server.counters.reuseDetections).toBe(0)
    expect(server.counters.refreshCalls).toBe(2)
  })

  it('should not follow another tab that keeps its own session in sessionStorage', async () => {
    const session = origin('duplicates')
    const one = openTab(session.storage(null), { now: clock.now })
    const two = openTab(session.storage(null), { now: clock.now })
    await one.auth.setTokens(await server.issueTokens())
    await new Promise((r) => setTimeout(r, 30))
    expect(two.auth.getState().status).toBe('unauthenticated')
  })

  it('should refresh once across tabs whose refresh token is an HttpOnly cookie', async () => {
    // the browser's cookie jar, shared by every tab (a double of the browser, not of retoken)
    const issued = await server.issueTokens()
    let cookie = issued.refreshToken
    const refresh: AuthOptions['refresh'] = async ({ signal }) => {
      const { data } = await axios.post(`${API}/auth/refresh`, { refreshToken: cookie }, { signal })
      cookie = data.refreshToken
      return { accessToken: data.accessToken, expiresIn: data.expiresIn }
    }
    const memory = origin('none')
    const all = Array.from({ length: 5 }, () =>
      openTab(memory.storage(null), { now: clock.now, refresh }),
    )
    await all[0]?.auth.setTokens({ accessToken: issued.accessToken })
    await until(() => all.every((t) => t.auth.getState().status === 'authenticated'))
    for (let expiry = 1; expiry <= 2; expiry++) {
      clock.advance(61)
      const results = await Promise.all(all.map((tab) => tab.api.get('/api/echo')))
      expect(results.every((r) => r.status === 200)).toBe(true)
      expect(server.counters.refreshCalls).toBe(expiry)
    }
    expect(server.counters.reuseDetections).toBe(0)
  })

  it('should keep memory-only tabs apart: each its own session, nothing written to IndexedDB', async () => {
    const memory = origin('none')
    const one = openTab(memory.storage(null), { now: clock.now })
    const two = openTab(memory.storage(null), { now: clock.now })
    await one.auth.setTokens(await server.issueTokens())
    await two.auth.setTokens(await server.issueTokens())
    clock.advance(61)
    await Promise.all([one.api.get('/api/echo'), two.api.get('/api/echo')])
    expect(server.counters.refreshCalls).toBe(2)
    expect(one.auth.getState().accessToken).not.toBe(two.auth.getState().accessToken)
    const databases = await indexedDB.databases()
    if (databases.length > 0) {
      const db = await new Promise<IDBDatabase>((resolve) => {
        const request = indexedDB.open('retoken')
        request.onsuccess = () => resolve(request.result)
      })
      const record = await new Promise<unknown>((resolve) => {
        const get = db.transaction('ledger').objectStore('ledger').get(`retoken:app-${app}`)
        get.onsuccess = () => resolve(get.result)
      })
      expect(JSON.stringify(record ?? {})).not.toContain('eyJ')
      db.close()
    }
  })

  it('should give up waiting for the lock of another tab as a transient failure, never calling refresh late', async () => {
    const shared = origin('tabs')
    const gated = gatedRefresh()
    const holder = openTab(shared.storage(), { now: clock.now, refresh: gated.refresh })
    await holder.auth.setTokens(await server.issueTokens())
    const waiterRefresh = vi.fn(refreshWithAxios)
    const waiter = openTab(shared.storage(), {
      now: clock.now,
      refresh: waiterRefresh,
      refreshTimeout: 50,
    })
    await until(() => waiter.auth.getState().status === 'authenticated')
    clock.advance(61)
    const held = holder.auth.refresh()
    await until(() => gated.calls() === 1)

    await expect(waiter.auth.refresh()).rejects.toMatchObject({ name: 'RefreshFailedError' })
    expect(waiter.auth.getState().status).toBe('authenticated')
    gated.release()
    await held
    await new Promise((r) => setTimeout(r, 30))
    expect(waiterRefresh).not.toHaveBeenCalled()
    // the holder's tokens reach the waiter; its next request needs no refresh of its own
    await expect(waiter.api.get('/api/echo')).resolves.toMatchObject({ status: 200 })
    expect(waiterRefresh).not.toHaveBeenCalled()
    expect(server.counters.refreshCalls).toBe(1)
    expect(server.counters.reuseDetections).toBe(0)
  })
})
