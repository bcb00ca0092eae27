import {
  type Auth,
  type AuthOptions,
  coordinateStorage,
  createAuth,
  sharedStorage,
  type TokenStorage,
} from '@retoken/core'
import type { AuthServer } from '@retoken/mock-server'
import axios, { type AxiosInstance } from 'axios'
import { isSharedStore, type SuiteStorage } from './faultyStores'

/** Where the suite's mock auth server answers (through msw/node). */
export const SUITE_API = 'http://storage-suite.test'

/** One client of the store: what one process (or tab) of an app holds. */
export interface SuiteClient {
  auth: Auth
  api: AxiosInstance
  storage: TokenStorage
}

/** The refresh call an app writes, optionally held at a gate the test opens. */
export function refreshThrough(gate?: Promise<void>): AuthOptions['refresh'] {
  return async ({ refreshToken, signal }) => {
    if (gate) await gate
    return (await axios.post(`${SUITE_API}/auth/refresh`, { refreshToken }, { signal })).data
  }
}

/**
 * A client on `store`, its session restored. Clients keep real time while the
 * server's clock is moved, so an expiry reaches them as a burst of 401s.
 */
export async function openClient(
  store: SuiteStorage,
  refresh: AuthOptions['refresh'] = refreshThrough(),
): Promise<SuiteClient> {
  const storage = isSharedStore(store) ? sharedStorage(store) : store
  const api = axios.create({ baseURL: SUITE_API })
  const auth = createAuth({
    refresh,
    storage,
    refreshMargin: 0,
    ...(storage.tabs ? {} : { tabs: coordinateStorage() }),
  })
  auth.attach(api)
  await auth.restore()
  return { auth, api, storage }
}

/** Waits for `condition` with a deadline; never sleeps a fixed time. */
export async function until(condition: () => boolean, what: string, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** Sends `perClient` requests from every client at once; resolves with what each got. */
export async function burst(clients: SuiteClient[], perClient: number) {
  const sends = clients.flatMap(({ api }) =>
    Array.from({ length: perClient }, () =>
      api.get('/api/orders').then(
        (response) => ({ ok: true as const, status: response.status }),
        (error: unknown) => ({ ok: false as const, error }),
      ),
    ),
  )
  return Promise.all(sends)
}

/** The server's view, the numbers the suite asserts on. */
export const countsOf = (server: AuthServer) => ({
  refreshCalls: server.counters.refreshCalls,
  reuseDetections: server.counters.reuseDetections,
})
