import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { createAuthServer } from '../src/createAuthServer'
import { type RunningHttpServer, startHttpServer } from '../src/node'
import type { AuthServer, AuthServerOptions } from '../src/types'
import { createTestClock } from '../src/vitest'

/** How a test reaches the server: MSW interception, or a real socket on localhost. */
export type Transport = 'msw/node' | 'http'

export const transports: Transport[] = ['msw/node', 'http']

/**
 * Runs the server over `transport` for the current `describe`, on a hand-moved clock,
 * reset after every test. `server` and `base` are filled in once it is listening.
 */
export function useTransport(transport: Transport, options: Partial<AuthServerOptions> = {}) {
  const clock = createTestClock()
  const serverOptions = { accessTokenTtl: 60, refreshTokenTtl: 3600, now: clock.now, ...options }
  const api = {
    clock,
    server: undefined as unknown as AuthServer,
    base: '',
    /** POSTs JSON (a string is sent as is) and reads the answer. */
    postJson: (path: string, body: unknown, headers: Record<string, string> = {}) =>
      send(`${api.base}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    /** POSTs a form, RFC 6749 style. */
    postForm: (path: string, form: Record<string, string>) =>
      send(`${api.base}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      }),
    /** GETs with an optional bearer token. */
    get: (path: string, token?: string) =>
      send(`${api.base}${path}`, token ? { headers: { Authorization: `Bearer ${token}` } } : {}),
  }

  if (transport === 'msw/node') {
    api.base = 'http://auth.test'
    api.server = createAuthServer({ ...serverOptions, baseUrl: api.base })
    const network = setupServer(...api.server.handlers)
    beforeAll(() => network.listen({ onUnhandledRequest: 'error' }))
    afterAll(() => network.close())
  } else {
    let running: RunningHttpServer
    beforeAll(async () => {
      running = await startHttpServer({ ...serverOptions, port: 0 })
      api.server = running.server
      api.base = running.url
    })
    afterAll(() => running.close())
  }
  afterEach(() => api.server.reset())
  return api
}

async function send(url: string, init: RequestInit) {
  const response = await fetch(url, init)
  const text = await response.text()
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies
  let body: any = text
  try {
    body = JSON.parse(text)
  } catch {}
  return { status: response.status, headers: response.headers, body }
}

/** Waits, on real event-loop turns (not faked), until the server has seen what a test needs. */
export async function until(condition: () => boolean) {
  for (let turn = 0; turn < 10_000 && !condition(); turn++) {
    await new Promise((resolve) => setImmediate(resolve))
  }
  if (!condition()) throw new Error('The server never reached the awaited state')
}

export const demo = { email: 'demo@retoken.dev', password: 'password123' }
