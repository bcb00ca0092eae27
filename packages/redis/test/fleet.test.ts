import type { FleetProcess } from '@retoken/storage-test-suite/processes'
import { describe, expect, it } from 'vitest'
import { until, useFleet } from './fleetHarness'
import { REDIS_SERVER } from './redisServer'

const tokensOf = async (fleet: FleetProcess[]) =>
  Promise.all(fleet.map((p) => p.run({ type: 'state' }).then((s) => s.accessToken)))

describe.skipIf(!REDIS_SERVER)('processes sharing one session in Redis', () => {
  const { context, fleet, expire, counts } = useFleet()

  async function loggedInFleet(count: number, envFor?: (i: number) => Record<string, string>) {
    const processes = await fleet(count, {}, envFor)
    const tokens = await context.http.server.issueTokens()
    await processes[0]!.run({ type: 'login', tokens })
    await until(
      async () => (await tokensOf(processes)).every((t) => t === tokens.accessToken),
      'every process on the login',
    )
    return processes
  }

  for (const [count, trials, client] of [
    [2, 50, 'ioredis'],
    [8, 50, 'node-redis'],
    [32, 10, 'ioredis'],
  ] as const) {
    it(`should make exactly one refresh per expiry across ${count} processes (${client}), ${trials} trials`, async () => {
      const processes = await loggedInFleet(count, () => ({ RETOKEN_REDIS_CLIENT: client }))
      const start = counts()
      const outcomes: string[] = []
      let wrong = 0
      for (let trial = 1; trial <= trials; trial++) {
        const before = counts()
        expire()
        const reports = await Promise.all(processes.map((p) => p.run({ type: 'burst', count: 3 })))
        const after = counts()
        const failed = reports.reduce((sum, r) => sum + r.failed, 0)
        const refreshes = after.refreshCalls - before.refreshCalls
        const reuse = after.reuseDetections - before.reuseDetections
        const tokens = new Set(await tokensOf(processes))
        if (refreshes !== 1 || reuse !== 0 || failed !== 0 || tokens.size !== 1) {
          wrong += 1
          outcomes.push(
            `trial ${trial}: ${refreshes} refreshes, ${reuse} reuse, ${failed} failed, ${tokens.size} tokens`,
          )
        }
      }
      console.log(
        `${count} processes, ${trials} trials: ${trials - wrong} right, ${wrong} wrong`,
        outcomes,
      )
      expect(outcomes).toEqual([])
      expect(counts()).toEqual({
        refreshCalls: start.refreshCalls + trials,
        reuseDetections: start.reuseDetections,
      })
    }, 240_000)
  }

  it('should let every process follow a login and a logout made in one of them', async () => {
    const processes = await loggedInFleet(4)
    const other = await context.http.server.issueTokens()
    await processes[2]!.run({ type: 'login', tokens: other })
    await until(
      async () => (await tokensOf(processes)).every((t) => t === other.accessToken),
      'every process on the new login',
    )
    await processes[3]!.run({ type: 'logout' })
    await until(
      async () => (await tokensOf(processes)).every((t) => t === null),
      'every process logged out',
    )
  })
})

describe.skipIf(!REDIS_SERVER)('idle processes renewing on their own timers (autoRefresh)', () => {
  // Real time here: the race is the timers of all processes firing together. Timers
  // never fire sooner than 5 s (autoRefresh's floor), and up to 2 s ahead of expiry.
  const ttl = 6
  const { context, fleet, counts } = useFleet({ accessTokenTtl: ttl })

  it('should renew once per expiry across 8 idle processes, over 10 expiries', async () => {
    const processes = await fleet(8, { autoRefresh: true })
    const tokens = await context.http.server.issueTokens()
    await processes[0]!.run({ type: 'login', tokens })
    const start = counts()
    const startedAt = Date.now()
    await until(() => counts().refreshCalls >= start.refreshCalls + 10, '10 renewals', 100_000)
    const elapsed = (Date.now() - startedAt) / 1000
    const renewals = counts().refreshCalls - start.refreshCalls
    console.log(
      `8 idle processes: ${renewals} renewals in ${elapsed.toFixed(1)} s (tokens live ${ttl} s)`,
    )
    expect(counts().reuseDetections).toBe(start.reuseDetections)
    // one renewal per token life at most (renewed up to 2 s early; plus the one in flight)
    expect(renewals).toBeLessThanOrEqual(Math.ceil(elapsed / (ttl - 2)) + 1)
    const reports = await Promise.all(processes.map((p) => p.run({ type: 'burst', count: 2 })))
    expect(reports.flatMap((r) => r.errors)).toEqual([])
    expect(new Set(await tokensOf(processes)).size).toBe(1)
  }, 150_000)
})
