import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startHttpServer } from '@retoken/mock-server/node'
import { type FleetProcess, startFleet, stopFleet } from '@retoken/storage-test-suite/processes'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from './waitFor'

const TRIALS = 50
const PROCESSES = 8
const storageModule = fileURLToPath(new URL('./fixtures/fleetStorage.ts', import.meta.url))

describe('fileStorage across real processes', () => {
  let dir: string
  let running: Awaited<ReturnType<typeof startHttpServer>>
  let fleet: FleetProcess[] = []

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'retoken-file-fleet-'))
    // rotation, reuse detection and no grace: a token presented twice revokes the session
    running = await startHttpServer({ port: 0, accessTokenTtl: 60, reuseGraceSeconds: 0 })
  })
  afterAll(async () => {
    await stopFleet(fleet)
    await running?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it(`should refresh once per expiry for ${PROCESSES} processes on one file, over ${TRIALS} trials`, async () => {
    const { server } = running
    fleet = await startFleet(PROCESSES, {
      api: running.url,
      storageModule,
      name: join(dir, 'session.json'),
    })
    const tokens = await server.issueTokens()
    await fleet[0]!.run({ type: 'login', tokens })
    const tokensOf = async () =>
      (await Promise.all(fleet.map((p) => p.run({ type: 'state' })))).map((s) => s.accessToken)
    await waitFor(
      async () => (await tokensOf()).every((token) => token === tokens.accessToken),
      'every process on the login',
    )

    const trials: {
      refreshes: number
      reuse: number
      failed: number
      tokens: number
      ms: number
    }[] = []
    for (let trial = 1; trial <= TRIALS; trial++) {
      const before = { ...server.counters }
      server.clock.setOffset(trial * 61)
      const started = performance.now()
      const reports = await Promise.all(fleet.map((p) => p.run({ type: 'burst', count: 3 })))
      trials.push({
        refreshes: server.counters.refreshCalls - before.refreshCalls,
        reuse: server.counters.reuseDetections - before.reuseDetections,
        failed: reports.reduce((sum, report) => sum + report.failed, 0),
        tokens: new Set(await tokensOf()).size,
        ms: performance.now() - started,
      })
    }
    const tally = (key: 'refreshes' | 'reuse' | 'failed' | 'tokens') => {
      const counts = new Map<number, number>()
      for (const t of trials) counts.set(t[key], (counts.get(t[key]) ?? 0) + 1)
      return [...counts].map(([value, times]) => `${value}×${times}`).join(' ')
    }
    const ms = trials.map((t) => t.ms).sort((a, b) => a - b)
    console.log(
      `fileStorage, ${PROCESSES} processes, ${TRIALS} expiries: refresh calls per expiry ${tally('refreshes')}; reuse detections ${tally('reuse')}; failed requests ${tally('failed')}; distinct tokens afterwards ${tally('tokens')}; burst p50 ${ms[Math.floor(TRIALS / 2)]!.toFixed(0)} ms, max ${ms[TRIALS - 1]!.toFixed(0)} ms`,
    )
    expect(
      trials.filter((t) => t.refreshes !== 1 || t.reuse !== 0 || t.failed !== 0 || t.tokens !== 1),
    ).toEqual([])
  }, 120_000)

  it(`should let all ${PROCESSES} processes follow a login and a logout made in one of them`, async () => {
    const { server } = running
    await stopFleet(fleet)
    fleet = await startFleet(PROCESSES, {
      api: running.url,
      storageModule,
      name: join(dir, 'follow.json'),
    })
    const statesOf = () => Promise.all(fleet.map((p) => p.run({ type: 'state' })))
    for (const [index, tokens] of [
      [2, await server.issueTokens()],
      [5, await server.issueTokens()],
    ] as const) {
      await fleet[index]!.run({ type: 'login', tokens })
      await waitFor(
        async () => (await statesOf()).every((s) => s.accessToken === tokens.accessToken),
        `every process on the login made in process ${index}`,
      )
    }
    await fleet[7]!.run({ type: 'logout' })
    await waitFor(
      async () => (await statesOf()).every((s) => s.status === 'unauthenticated'),
      'every process logged out',
    )
    // and a process started afterwards finds no session
    const [late] = await startFleet(1, {
      api: running.url,
      storageModule,
      name: join(dir, 'follow.json'),
    })
    fleet.push(late!)
    expect((await late!.run({ type: 'state' })).status).toBe('unauthenticated')
  }, 60_000)
})
