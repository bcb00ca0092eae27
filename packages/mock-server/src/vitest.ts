import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { createAuthServer } from './createAuthServer'
import type { AuthServerOptions } from './types'

/**
 * Starts a mock auth server through `msw/node` for the current Vitest file or
 * `describe` block, as MSW recommends: unhandled requests fail the test, handlers
 * added with `network.use()` and the server's state are reset after each test.
 * @example const { server, network } = useMockAuthServer({ baseUrl: 'http://api.test' })
 */
export function useMockAuthServer(options: Partial<AuthServerOptions> = {}) {
  const server = createAuthServer(options)
  const network = setupServer(...server.handlers)
  beforeAll(() => network.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => {
    network.resetHandlers()
    server.reset()
  })
  afterAll(() => network.close())
  return { server, network }
}

/** A clock moved by hand, to share between a client and the mock server: nothing sleeps. */
export interface TestClock {
  now(): number
  advance(seconds: number): void
}

/** Creates a {@link TestClock} starting at `start` (ms). */
export function createTestClock(start = Date.UTC(2026, 0, 1)): TestClock {
  let time = start
  return {
    now: () => time,
    advance: (seconds) => {
      time += seconds * 1000
    },
  }
}
