// @vitest-environment node
// The React Native recipe as the README shows it, with fakes of what only a device has:
// AsyncStorage (async, slow to answer) and AppState (the app goes to the background).
import { createFetch } from '@retoken/core'
import { useMockAuthServer } from '@retoken/mock-server/vitest'
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { type AppStateLike, createAppAuth, type KeyValueStore } from './react-native'

const API = 'http://api.test'
// biome-ignore lint/correctness/useHookAtTopLevel: a Vitest fixture, not a React hook
const { server } = useMockAuthServer({ baseUrl: API, accessTokenTtl: 60, now: () => Date.now() })

/** AsyncStorage's contract: every call answers later, on another turn of the event loop. */
function fakeAsyncStorage(failWrites = false) {
  const values = new Map<string, string>()
  const later = <T>(value: () => T) =>
    new Promise<T>((resolve, reject) =>
      setTimeout(() => {
        try {
          resolve(value())
        } catch (error) {
          reject(error)
        }
      }, 5),
    )
  const store: KeyValueStore = {
    getItem: (key) => later(() => values.get(key) ?? null),
    setItem: (key, value) =>
      later(() => {
        if (failWrites) throw new Error('database or disk is full')
        values.set(key, value)
      }),
    removeItem: (key) => later(() => void values.delete(key)),
  }
  return { store, values }
}

function fakeAppState() {
  const listeners = new Set<(state: string) => void>()
  const appState: AppStateLike = {
    addEventListener: (_type, listener) => {
      listeners.add(listener)
      return { remove: () => listeners.delete(listener) }
    },
  }
  const change = (state: string) => {
    for (const listener of listeners) listener(state)
  }
  return { appState, change }
}

/** A request through retoken's fetch transport, as the app would send it. */
const get = (auth: ReturnType<typeof createAppAuth>, path: string) =>
  createFetch(auth, { allowedOrigins: [API] })(`${API}${path}`)

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
})
afterEach(() => {
  vi.useRealTimers()
})

it('should resume the stored session after a restart, waiting for the async read', async () => {
  const { store, values } = fakeAsyncStorage()
  const first = createAppAuth(store, fakeAppState().appState, API)
  const setting = first.setTokens(await server.issueTokens())
  await vi.advanceTimersByTimeAsync(10)
  await setting
  await vi.advanceTimersByTimeAsync(10)
  expect(values.get('retoken.session')).toContain('accessToken')
  first.destroy()

  // the app starts again: the first request waits for the store, then carries its token
  const again = createAppAuth(store, fakeAppState().appState, API)
  const response = get(again, '/api/orders')
  await vi.advanceTimersByTimeAsync(10)
  expect((await response).status).toBe(200)
  expect(server.counters.refreshCalls).toBe(0)
  again.destroy()
})

it('should renew at once when the app comes back from the background after expiry', async () => {
  const { store } = fakeAsyncStorage()
  const { appState, change } = fakeAppState()
  const auth = createAppAuth(store, appState, API)
  const setting = auth.setTokens(await server.issueTokens())
  await vi.advanceTimersByTimeAsync(10)
  await setting
  const waited: unknown[] = []
  auth.on('requestQueued', (event) => waited.push(event))

  change('background')
  // in the background no timer runs: five minutes pass without one firing
  vi.setSystemTime(Date.now() + 5 * 60_000)
  change('active')
  await vi.waitFor(async () => {
    await vi.advanceTimersByTimeAsync(10)
    expect(server.counters.refreshCalls).toBe(1)
    expect(auth.getState().isRefreshing).toBe(false)
  })

  const response = get(auth, '/api/orders')
  await vi.advanceTimersByTimeAsync(10)
  expect((await response).status).toBe(200)
  // renewed on wake-up: the first request after it did not wait for a refresh
  expect(waited).toEqual([])
  expect(server.counters.refreshCalls).toBe(1)
  auth.destroy()
})

it('should keep the session in memory when the store cannot be written', async () => {
  const { store } = fakeAsyncStorage(true)
  const auth = createAppAuth(store, fakeAppState().appState, API)
  const setting = auth.setTokens(await server.issueTokens())
  await vi.advanceTimersByTimeAsync(10)
  await setting
  const response = get(auth, '/api/orders')
  await vi.advanceTimersByTimeAsync(10)
  expect((await response).status).toBe(200)
  expect(auth.getState().status).toBe('authenticated')
  auth.destroy()
})

it('should treat garbage in the store as no session', async () => {
  const { store, values } = fakeAsyncStorage()
  values.set('retoken.session', '{"accessToken": 4')
  const auth = createAppAuth(store, fakeAppState().appState, API)
  const response = get(auth, '/api/orders')
  await vi.advanceTimersByTimeAsync(10)
  expect((await response).status).toBe(401)
  expect(auth.getState().status).toBe('unauthenticated')
  auth.destroy()
})
