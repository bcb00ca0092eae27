// Processes sharing one session in Redis: what coordination costs a refresh (p50 and
// p99 of a burst that meets an expired token, beside one process alone), how many
// Redis round trips a request and a refresh take, and memory per session when one
// process holds 10,000 of them. Skipped, and said so, without redis-server.
import { fileURLToPath } from 'node:url'
import { createAuth } from '@retoken/core'
import { startHttpServer } from '@retoken/mock-server/node'
import { redisStorage } from '@retoken/redis'
import { type FleetProcess, startFleet, stopFleet } from '@retoken/storage-test-suite/processes'
import axios from 'axios'
import { Redis } from 'ioredis'
import { REDIS_SERVER, startRedis } from '../../packages/redis/test/redisServer'
import { f, int, table } from './report'

const REDIS_FLEET = fileURLToPath(
  new URL('../../packages/redis/test/fleetStorage.ts', import.meta.url),
)
const ALONE = fileURLToPath(new URL('./fleetMemory.ts', import.meta.url))

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

export async function processes(quick: boolean): Promise<{ lines: string[]; problems: string[] }> {
  if (!REDIS_SERVER) {
    return {
      lines: ['## Processes sharing one session', '', 'Skipped: no redis-server.', ''],
      problems: [],
    }
  }
  const problems: string[] = []
  const redis = await startRedis()
  const http = await startHttpServer({
    port: 0,
    accessTokenTtl: 60,
    rateLimit: { limit: 1_000_000, windowSeconds: 60 },
  })
  let offset = 0
  const trials = quick ? 3 : 20
  const rows: (string | number)[][] = []
  try {
    const setups: [string, number, string][] = [
      ['one process alone (memory)', 1, ALONE],
      ...(quick ? [1, 8] : [1, 8, 32]).map(
        (n) => [`${n} coordinated (Redis)`, n, REDIS_FLEET] as [string, number, string],
      ),
    ]
    for (const [label, count, storageModule] of setups) {
      const fleet: FleetProcess[] = await startFleet(
        count,
        { api: http.url, storageModule, name: `bench-${count}-${label.length}` },
        () => ({ RETOKEN_REDIS_URL: redis.url }),
      )
      try {
        await fleet[0]!.run({ type: 'login', tokens: await http.server.issueTokens() })
        for (const p of fleet) {
          while ((await p.run({ type: 'state' })).status !== 'authenticated') {
            await new Promise((resolve) => setTimeout(resolve, 10))
          }
        }
        const before = { ...http.server.counters }
        const latencies: number[] = []
        for (let t = 0; t < trials; t++) {
          offset += 61
          http.server.clock.setOffset(offset)
          const reports = await Promise.all(fleet.map((p) => p.run({ type: 'burst', count: 3 })))
          latencies.push(...reports.map((r) => r.ms))
          if (reports.some((r) => r.failed > 0)) problems.push(`${label}: failed requests`)
        }
        const refreshes = http.server.counters.refreshCalls - before.refreshCalls
        const reuse = http.server.counters.reuseDetections - before.reuseDetections
        if (refreshes !== trials || reuse !== 0) {
          problems.push(`${label}: ${refreshes} refreshes for ${trials} expiries, ${reuse} reuse`)
        }
        rows.push([
          label,
          trials,
          refreshes,
          reuse,
          f(percentile(latencies, 50)),
          f(percentile(latencies, 99)),
        ])
      } finally {
        await stopFleet(fleet)
      }
    }
    const trips = await roundTrips(
      redis.url,
      http.url,
      () => {
        offset += 61
        http.server.clock.setOffset(offset)
      },
      http.server.issueTokens,
    )
    if (trips.perRequest !== 0)
      problems.push(`fast path: ${trips.perRequest} Redis commands per request`)
    const memory = await memoryPerSession(redis.url, quick ? 1_000 : 10_000)
    return {
      problems,
      lines: [
        '## Processes sharing one session in Redis',
        '',
        `Real Node processes (\`@retoken/storage-test-suite/processes\`), each with its own \`createAuth\` and Redis connection, against the mock server over HTTP (rotation, reuse detection, grace 0). Each trial moves the server's clock past the token's life and every process sends 3 requests at once; latency is that burst's time in the process (it waits for the one refresh). Counted on the server.`,
        '',
        ...table(['setup', 'expiries', 'refresh calls', 'reuse', 'p50 ms', 'p99 ms'], rows),
        '',
        ...table(
          ['Redis commands (ioredis, one process)', 'count'],
          [
            ['per request with a fresh token (fast path)', f(trips.perRequest, 2)],
            [
              'per refresh (lock, read, claim, commit, release; pub/sub not counted)',
              trips.perRefresh,
            ],
          ],
        ),
        '',
        `Memory: ${int(memory.sessions)} sessions (\`createAuth\` + \`redisStorage\`, restored, subscribed) in one process on one client: ${f(memory.bytesPerSession / 1024, 2)} KiB of heap each, on ${memory.connections} connections.`,
        '',
      ],
    }
  } finally {
    await http.close()
    await redis.stop()
  }
}

/** Counts the commands a client sends by wrapping its `call` (the structural client retoken uses). */
async function roundTrips(
  url: string,
  api: string,
  expire: () => void,
  issue: () => Promise<{ accessToken: string; refreshToken: string }>,
) {
  const client = new Redis(url)
  let commands = 0
  const call = client.call.bind(client)
  ;(client as unknown as { call: typeof call }).call = ((...args: Parameters<typeof call>) => {
    commands += 1
    return call(...args)
  }) as typeof call
  const auth = createAuth({
    refresh: async ({ refreshToken, signal }) =>
      (await axios.post(`${api}/auth/refresh`, { refreshToken }, { signal })).data,
    storage: redisStorage(client, { key: 'bench-round-trips' }),
  })
  const instance = axios.create({ baseURL: api })
  auth.attach(instance)
  await auth.restore()
  await auth.setTokens(await issue())
  commands = 0
  for (let i = 0; i < 200; i++) await instance.get('/api/orders')
  const perRequest = commands / 200
  expire()
  commands = 0
  await instance.get('/api/orders')
  const perRefresh = commands
  auth.destroy()
  client.disconnect()
  return { perRequest, perRefresh }
}

async function memoryPerSession(url: string, count: number) {
  const client = new Redis(url)
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  const before = process.memoryUsage().heapUsed
  const sessions = Array.from({ length: count }, (_, i) =>
    createAuth({
      refresh: async () => ({ accessToken: 'never' }),
      storage: redisStorage(client, { key: `bench-session-${i}` }),
    }),
  )
  await Promise.all(sessions.map((auth) => auth.restore()))
  gc?.()
  const bytesPerSession = (process.memoryUsage().heapUsed - before) / count
  const admin = new Redis(url)
  const info = (await admin.info('clients')) as string
  admin.disconnect()
  // the server's count, less the admin connection that asked
  const connections = Number(/connected_clients:(\d+)/.exec(info)?.[1] ?? 1) - 1
  for (const auth of sessions) auth.destroy()
  client.disconnect()
  return { sessions: count, bytesPerSession, connections }
}
