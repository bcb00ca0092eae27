import { fileURLToPath } from 'node:url'
import { type RunningHttpServer, startHttpServer } from '@retoken/mock-server/node'
import { type FleetProcess, startFleet, stopFleet } from '@retoken/storage-test-suite/processes'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { REDIS_SERVER, type RedisServer, startRedis } from './redisServer'

/** The module every fleet process loads its storage from. */
export const FLEET_STORAGE = fileURLToPath(new URL('./fleetStorage.ts', import.meta.url))

/**
 * A redis-server and the mock auth server over real HTTP (rotation, reuse detection,
 * the given grace) for a test file, and fleets of processes stopped after each test.
 */
export function useFleet(options: { reuseGraceSeconds?: number; accessTokenTtl?: number } = {}) {
  const context = {} as { redis: RedisServer; http: RunningHttpServer }
  let fleets: FleetProcess[][] = []
  let names = 0
  let offset = 0
  beforeAll(async () => {
    if (!REDIS_SERVER) return
    context.redis = await startRedis()
    context.http = await startHttpServer({
      port: 0,
      accessTokenTtl: options.accessTokenTtl ?? 60,
      reuseGraceSeconds: options.reuseGraceSeconds ?? 0,
      rateLimit: { limit: 1_000_000, windowSeconds: 60 },
    })
  })
  afterEach(async () => {
    await Promise.all(fleets.map(stopFleet))
    fleets = []
  })
  afterAll(async () => {
    await context.http?.close()
    await context.redis?.stop()
  })
  return {
    context,
    /** Starts `count` processes on one new session name. */
    async fleet(
      count: number,
      extra: {
        autoRefresh?: boolean
        refreshTimeout?: number
        holdRefresh?: 'before' | 'after'
      } = {},
      envFor: (index: number) => Record<string, string> = () => ({}),
      name = `fleet-${++names}`,
    ) {
      const started = await startFleet(
        count,
        { api: context.http.url, storageModule: FLEET_STORAGE, name, ...extra },
        (i) => ({ RETOKEN_REDIS_URL: context.redis.url, ...envFor(i) }),
      )
      fleets.push(started)
      return started
    },
    /** Moves the server's clock past the access token's life. */
    expire(seconds = (options.accessTokenTtl ?? 60) + 1) {
      offset += seconds
      context.http.server.clock.setOffset(offset)
    },
    counts: () => ({
      refreshCalls: context.http.server.counters.refreshCalls,
      reuseDetections: context.http.server.counters.reuseDetections,
    }),
  }
}

/** Waits for `condition` with a deadline; never sleeps a fixed time. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  ms = 15_000,
) {
  const deadline = Date.now() + ms
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
