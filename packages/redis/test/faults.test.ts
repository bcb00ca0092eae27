import type { BurstReport, FleetProcess } from '@retoken/storage-test-suite/processes'
import { describe, expect, it } from 'vitest'
import { until, useFleet } from './fleetHarness'
import { REDIS_SERVER } from './redisServer'
import { startStallingProxy } from './stallingProxy'

// A short refresh timeout keeps the lease (timeout + 10 s) short enough to wait out.
const FAST = { refreshTimeout: 1_000 }

const stateOf = (fleet: FleetProcess[]) => Promise.all(fleet.map((p) => p.run({ type: 'state' })))

/** Has `holder` start a refresh, then kills it where its `holdRefresh` holds the call. */
async function killMidRefresh(holder: FleetProcess) {
  const held = holder.next('refresh-held')
  void holder.run({ type: 'burst', count: 1 }).catch(() => {})
  await held
  holder.kill()
}

/** Bursts until every request of every process succeeds; returns the errors seen before. */
async function burstUntilAllOk(fleet: FleetProcess[], deadlineMs = 45_000) {
  const seen: string[] = []
  const deadline = Date.now() + deadlineMs
  for (;;) {
    const reports: BurstReport[] = await Promise.all(
      fleet.map((p) => p.run({ type: 'burst', count: 2 })),
    )
    const errors = reports.flatMap((r) => r.errors)
    if (errors.length === 0) return seen
    seen.push(...errors)
    if (Date.now() > deadline) throw new Error(`requests still failing: ${errors.join(', ')}`)
  }
}

describe.skipIf(!REDIS_SERVER)('faults, with a server that forgives nothing (grace 0)', () => {
  const { context, fleet, expire, counts } = useFleet()

  async function session(name: string, processes: FleetProcess[]) {
    const tokens = await context.http.server.issueTokens()
    await processes[0]!.run({ type: 'login', tokens })
    await until(
      async () => (await stateOf(processes)).every((s) => s.accessToken === tokens.accessToken),
      `every process of ${name} on the login`,
    )
  }

  it('should carry on after a process is killed holding the lock before its refresh call', async () => {
    const name = 'killed-before'
    const [holder] = await fleet(1, { ...FAST, holdRefresh: 'before' }, undefined, name)
    const others = await fleet(3, FAST, undefined, name)
    await session(name, [holder!, ...others])
    const start = counts()
    expire()
    await killMidRefresh(holder!)
    const seen = await burstUntilAllOk(others)
    // while the claim of the dead process runs out, requests fail for now, never for good
    expect(seen.every((e) => e === 'RefreshFailedError')).toBe(true)
    expect(counts()).toEqual({
      refreshCalls: start.refreshCalls + 1,
      reuseDetections: start.reuseDetections,
    })
    expect(new Set((await stateOf(others)).map((s) => s.accessToken)).size).toBe(1)
  }, 90_000)

  it('should lose the session when a process is killed after the server spent the token, as grace 0 demands', async () => {
    const name = 'killed-after'
    const [holder] = await fleet(1, { ...FAST, holdRefresh: 'after' }, undefined, name)
    const others = await fleet(2, FAST, undefined, name)
    await session(name, [holder!, ...others])
    const start = counts()
    expire()
    await killMidRefresh(holder!)
    // the new tokens died with the process; presenting the spent one is reuse
    await until(
      async () => {
        await Promise.all(others.map((p) => p.run({ type: 'burst', count: 1 })))
        return (await stateOf(others)).every((s) => s.status === 'unauthenticated')
      },
      'the session to end',
      45_000,
    )
    expect(counts().reuseDetections).toBe(start.reuseDetections + 1)
  }, 90_000)

  it('should fail requests for now while Redis is down, and resume with one refresh when it is back', async () => {
    const name = 'redis-restart'
    const processes = await fleet(4, FAST, undefined, name)
    await session(name, processes)
    const start = counts()
    await context.redis.kill()
    expire()
    const down = await Promise.all(processes.map((p) => p.run({ type: 'burst', count: 2 })))
    expect(down.flatMap((r) => r.errors).every((e) => e === 'RefreshFailedError')).toBe(true)
    expect((await stateOf(processes)).every((s) => s.status === 'authenticated')).toBe(true)
    await context.redis.restart()
    await burstUntilAllOk(processes)
    expect(counts()).toEqual({
      refreshCalls: start.refreshCalls + 1,
      reuseDetections: start.reuseDetections,
    })
    expect(new Set((await stateOf(processes)).map((s) => s.accessToken)).size).toBe(1)
  }, 90_000)

  it('should pick up the session once Redis is reachable, for a process that started without it', async () => {
    const name = 'redis-late'
    await context.redis.kill()
    const [early] = await fleet(1, FAST, undefined, name)
    expect((await early!.run({ type: 'state' })).status).toBe('unauthenticated')
    await context.redis.restart()
    const [late] = await fleet(1, FAST, undefined, name)
    const tokens = await context.http.server.issueTokens()
    await late!.run({ type: 'login', tokens })
    await until(
      async () => (await early!.run({ type: 'state' })).accessToken === tokens.accessToken,
      'the early process on the login',
      20_000,
    )
  }, 60_000)
})

describe.skipIf(!REDIS_SERVER)(
  'faults, with a server that forgives the last token for a while (grace 60 s)',
  () => {
    const { context, fleet, expire, counts } = useFleet({ reuseGraceSeconds: 60 })

    it('should let the others carry on after a process is killed after the server spent the token', async () => {
      const name = 'killed-after-grace'
      const [holder] = await fleet(1, { ...FAST, holdRefresh: 'after' }, undefined, name)
      const others = await fleet(2, FAST, undefined, name)
      const tokens = await context.http.server.issueTokens()
      await others[0]!.run({ type: 'login', tokens })
      await until(
        async () => (await holder!.run({ type: 'state' })).accessToken === tokens.accessToken,
        'the holder on the login',
      )
      const start = counts()
      expire()
      const held = holder!.next('refresh-held')
      void holder!.run({ type: 'burst', count: 1 }).catch(() => {})
      await held
      holder!.kill()
      await burstUntilAllOk(others)
      expect(counts()).toEqual({
        refreshCalls: start.refreshCalls + 2,
        reuseDetections: start.reuseDetections,
      })
    }, 90_000)

    it('should refuse the late write of a holder stalled past its lease, and keep the newer session', async () => {
      const name = 'stalled'
      const proxy = await startStallingProxy(context.redis.port)
      try {
        const [holder] = await fleet(
          1,
          { ...FAST, holdRefresh: 'after' },
          () => ({ RETOKEN_REDIS_URL: proxy.url }),
          name,
        )
        const others = await fleet(2, FAST, undefined, name)
        const tokens = await context.http.server.issueTokens()
        await others[0]!.run({ type: 'login', tokens })
        await until(
          async () => (await holder!.run({ type: 'state' })).accessToken === tokens.accessToken,
          'the holder on the login',
        )
        const start = counts()
        expire()
        const held = holder!.next('refresh-held')
        const holderBurst = holder!.run({ type: 'burst', count: 1 })
        await held
        // the server has spent the token; the holder's writes to Redis now hang
        proxy.stall()
        await holder!.run({ type: 'release' })
        await holderBurst
        await burstUntilAllOk(others)
        const newer = (await stateOf(others))[0]!.accessToken
        proxy.resume()
        // the stalled commit arrives late and is refused: the others' session stands
        await burstUntilAllOk([holder!, ...others])
        const states = await stateOf([holder!, ...others])
        expect(states.map((s) => s.accessToken)).toEqual([newer, newer, newer])
        expect(counts()).toEqual({
          refreshCalls: start.refreshCalls + 2,
          reuseDetections: start.reuseDetections,
        })
      } finally {
        proxy.resume()
        await proxy.close()
      }
    }, 120_000)
  },
)
