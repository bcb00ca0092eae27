import type { AuthServer } from '@retoken/mock-server'
import { HttpResponse, http } from 'msw'
import {
  type Auth,
  type AuthEvents,
  type AuthFetch,
  type AuthOptions,
  createAuth,
  createFetch,
  type FetchOptions,
  type RefreshResult,
} from '../../src/index'
import { API, type TestClock } from '../harness'

export { API }

/**
 * Moves the server's clock past the access token's expiry: the client still trusts its
 * token, the server refuses it, which is the 401 path.
 */
export const expireOnServer = (server: AuthServer) => server.clock.setOffset(61)

/** The refresh function a fetch user writes: a plain fetch to the server, not through authFetch. */
export const refreshWithFetch: AuthOptions['refresh'] = async ({ refreshToken, signal }) => {
  const response = await fetch(`${API}/auth/refresh`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refreshToken }),
    signal,
  })
  if (!response.ok) throw Object.assign(new Error('refresh failed'), { status: response.status })
  return (await response.json()) as RefreshResult
}

/**
 * A refresh held at a gate until the test calls `release()`, before it reaches the
 * server; `calls()` counts how often retoken called it.
 */
export function gatedFetchRefresh() {
  let release = () => {}
  const gate = new Promise<void>((resolve) => {
    release = resolve
  })
  let calls = 0
  const refresh: AuthOptions['refresh'] = async (context) => {
    calls += 1
    await gate
    return refreshWithFetch(context)
  }
  return { refresh, release, calls: () => calls }
}

export interface FetchClient {
  auth: Auth
  authFetch: AuthFetch
  /** The session the server issued at login. */
  session: Awaited<ReturnType<AuthServer['issueTokens']>>
}

/** A retoken fetch for `http://api.test`, logged in with a real session from the server. */
export async function loggedInFetch(
  server: AuthServer,
  clock: TestClock,
  options: Partial<AuthOptions> = {},
  fetchOptions: FetchOptions = {},
): Promise<FetchClient> {
  const auth = createAuth({ refresh: refreshWithFetch, now: clock.now, ...options })
  const authFetch = createFetch(auth, { allowedOrigins: [API], ...fetchOptions })
  const session = await server.issueTokens()
  await auth.setTokens(session)
  return { auth, authFetch, session }
}

/** What the mock server's echo routes answer. */
export interface Echo {
  method: string
  path: string
  query: Record<string, string>
  headers: Record<string, string>
  body: unknown
}

export const echoOf = async (response: Response): Promise<Echo> => (await response.json()) as Echo

/** Every request event the auth emits, with its payload, in order. */
export type RequestEvent =
  | { type: 'requestStarted'; event: AuthEvents['requestStarted'] }
  | { type: 'requestFinished'; event: AuthEvents['requestFinished'] }
  | { type: 'requestQueued'; event: AuthEvents['requestQueued'] }
  | { type: 'requestRetried'; event: AuthEvents['requestRetried'] }

export function recordRequestEvents(auth: Auth): RequestEvent[] {
  const seen: RequestEvent[] = []
  auth.on('requestStarted', (event) => seen.push({ type: 'requestStarted', event }))
  auth.on('requestFinished', (event) => seen.push({ type: 'requestFinished', event }))
  auth.on('requestQueued', (event) => seen.push({ type: 'requestQueued', event }))
  auth.on('requestRetried', (event) => seen.push({ type: 'requestRetried', event }))
  return seen
}

/** Ids of the requests `requestRetried` named, in order. */
export function recordRetriedIds(auth: Auth): number[] {
  const ids: number[] = []
  auth.on('requestRetried', ({ request }) => ids.push(request.id))
  return ids
}

/** One request as a recording route saw it. */
export interface Arrival {
  method: string
  url: string
  headers: Record<string, string>
  body: string
}

/**
 * A route on the API that records every request it gets (method, headers, raw body) and
 * refuses the first `refusals` of them with 401, so a retry can be compared with the
 * request it repeats byte for byte.
 */
export function recordingRoute(path: string, { refusals = 1 } = {}) {
  const arrivals: Arrival[] = []
  const handler = http.all(`${API}${path}`, async ({ request }) => {
    arrivals.push({
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: await request.text(),
    })
    if (arrivals.length <= refusals) {
      return HttpResponse.json({ error: 'token_expired' }, { status: 401 })
    }
    return HttpResponse.json({ ok: true, attempt: arrivals.length })
  })
  return { handler, arrivals }
}

/** Answers with the method, headers and body it got, on any host and path. */
export const echoAll = (url: string, seen?: Arrival[]) =>
  http.all(url, async ({ request }) => {
    const arrival: Arrival = {
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: await request.text(),
    }
    seen?.push(arrival)
    return HttpResponse.json(arrival)
  })

/** Lets microtasks and msw's handler chain run, without waiting for real time. */
export const settle = async (rounds = 20) => {
  for (let i = 0; i < rounds; i++) await Promise.resolve()
}
