import { describe, expect, it } from 'vitest'
import { createAuth, type StoredSession, type TokenStorage, webStorage } from '../src/index'
import { refreshWithAxios, useMockAuthServer } from './harness'

class MapStorage {
  readonly map = new Map<string, string>()
  getItem = (key: string) => this.map.get(key) ?? null
  setItem = (key: string, value: string) => void this.map.set(key, value)
  removeItem = (key: string) => void this.map.delete(key)
}

describe('storage', () => {
  const { server, clock } = useMockAuthServer()

  it('should persist to web storage and restore on the next page load', async () => {
    const backing = new MapStorage()
    const first = createAuth({
      refresh: refreshWithAxios,
      now: clock.now,
      storage: webStorage(backing, 'app'),
    })
    const session = await server.issueTokens()
    await first.setTokens(session)
    expect(JSON.parse(backing.map.get('app') ?? '{}')).toMatchObject({
      accessToken: session.accessToken,
      refreshToken: session.refreshToken,
    })

    const second = createAuth({
      refresh: refreshWithAxios,
      now: clock.now,
      storage: webStorage(backing, 'app'),
    })
    expect(second.getState()).toMatchObject({
      status: 'authenticated',
      accessToken: session.accessToken,
    })
    await second.logout()
    expect(backing.map.has('app')).toBe(false)
  })

  it('should treat corrupt JSON in web storage as no session', () => {
    const backing = new MapStorage()
    backing.setItem('retoken.session', '{not json')
    const auth = createAuth({ refresh: refreshWithAxios, storage: webStorage(backing) })
    expect(auth.getState().status).toBe('unauthenticated')
  })

  it('should wait for an async storage before the first request uses the token', async () => {
    const session = await server.issueTokens()
    let stored: StoredSession | null = {
      accessToken: session.accessToken,
      refreshToken: session.refreshToken,
      expiresAt: clock.now() + 60_000,
      lifetime: 60_000,
      clockOffset: 0,
    }
    const asyncStorage: TokenStorage = {
      get: async () => stored,
      set: async (value) => {
        stored = value
      },
      remove: async () => {
        stored = null
      },
    }
    const auth = createAuth({ refresh: refreshWithAxios, now: clock.now, storage: asyncStorage })
    expect(auth.getState().status).toBe('unauthenticated')
    expect(await auth.getAccessToken()).toBe(session.accessToken)
    expect((await auth.restore()).status).toBe('authenticated')
  })

  it('should renew a restored token that expired while the page was closed', async () => {
    const backing = new MapStorage()
    const first = createAuth({
      refresh: refreshWithAxios,
      now: clock.now,
      storage: webStorage(backing),
    })
    await first.setTokens(await server.issueTokens())
    clock.advance(3 * 60)
    const later = createAuth({
      refresh: refreshWithAxios,
      now: clock.now,
      storage: webStorage(backing),
    })
    const token = await later.getAccessToken()
    expect(token).not.toBe(first.getState().accessToken)
    expect(server.counters.refreshCalls).toBe(1)
  })
})
