import type { AuthServer, AuthServerOptions } from '@retoken/mock-server'
import {
  createTestClock,
  useMockAuthServer as startMockAuthServer,
  type TestClock,
} from '@retoken/mock-server/vitest'
import axios, { type AxiosInstance } from 'axios'
import { type Auth, type AuthOptions, createAuth } from '../src/index'

export const API = 'http://api.test'

export type { TestClock }

/**
 * Starts the mock auth server through msw/node for a test file and hands each test
 * a fresh server state. `server.clock` is the server's clock; tests give the client
 * the same one unless they simulate skew.
 */
export function useMockAuthServer(options: Partial<AuthServerOptions> = {}) {
  const clock = createTestClock()
  const { server, network } = startMockAuthServer({
    baseUrl: API,
    accessTokenTtl: 60,
    refreshTokenTtl: 3600,
    now: () => clock.now(),
    ...options,
  })
  return { server, network, clock }
}

/**
 * A refresh held at a gate until the test calls `release()`: before it reaches the
 * server, or with `holdResult` after the server answered (the result arrives late).
 */
export function gatedRefresh({ holdResult = false } = {}) {
  let release = () => {}
  const gate = new Promise<void>((resolve) => {
    release = resolve
  })
  let calls = 0
  const refresh: AuthOptions['refresh'] = async (context) => {
    calls += 1
    if (!holdResult) await gate
    const tokens = await refreshWithAxios(context)
    if (holdResult) await gate
    return tokens
  }
  return { refresh, release, calls: () => calls }
}

/** The refresh function an app writes: a plain axios call (not through the attached instance). */
export const refreshWithAxios: AuthOptions['refresh'] = async ({ refreshToken, signal }) =>
  (await axios.post(`${API}/auth/refresh`, { refreshToken }, { signal })).data

export interface Client {
  api: AxiosInstance
  auth: Auth
}

/** An attached Axios instance and its auth, logged in with a real session from the server. */
export async function loggedInClient(
  server: AuthServer,
  clock: TestClock,
  options: Partial<AuthOptions> = {},
): Promise<Client> {
  const api = axios.create({ baseURL: API })
  const auth = createAuth({ refresh: refreshWithAxios, now: clock.now, ...options })
  auth.attach(api)
  await auth.setTokens(await server.issueTokens())
  return { api, auth }
}

/** Records every event the auth emits, in order. */
export function recordEvents(auth: Auth): string[] {
  const seen: string[] = []
  const types = [
    'requestQueued',
    'refreshStarted',
    'refreshSucceeded',
    'refreshFailed',
    'requestRetried',
    'sessionExpired',
    'loggedOut',
    'loggedIn',
  ] as const
  for (const type of types) auth.on(type, () => seen.push(type))
  return seen
}

/** Bearer token a request carried, as the mock server's echo route reports it. */
export const bearerOf = (headers: Record<string, unknown>) =>
  String(headers.authorization ?? '').replace(/^Bearer /, '')
