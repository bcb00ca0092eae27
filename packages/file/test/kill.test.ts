import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type RunningHttpServer, startHttpServer } from '@retoken/mock-server/node'
import { type FleetProcess, startFleet, stopFleet } from '@retoken/storage-test-suite/processes'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { waitFor } from './waitFor'

const storageModule = fileURLToPath(new URL('./fixtures/fleetStorage.ts', import.meta.url))
// The victim's refresh call must still be running when it is killed, however slow the
// machine; the survivors retry every second. The stale time keeps the rule "at least
// twice refreshTimeout"; the wait is set by the victim's claim (its refreshTimeout + 10 s).
const VICTIM_REFRESH_TIMEOUT_MS = 3_000
const REFRESH_TIMEOUT_MS = 1_000
const STALE_MS = 2 * VICTIM_REFRESH_TIMEOUT_MS
const PROCESSES = 8
/** Errors a request may end with while the others wait out the dead holder: transient ones only. */
const TRANSIENT = new Set(['RefreshFailedError', 'RefreshTimeoutError'])

/**
 * A process SIGKILLed while it holds the refresh lease (its refresh call under way at
 * the server) leaves a lock file nobody renews and a claim on the refresh token. The
 * others wait (their requests fail as transient errors meanwhile), take the lock over
 * once it is stale, and refresh once the claim has run out (refreshTimeout + 10 s).
 */
describe('fileStorage when a process dies holding the lock', () => {
  let dir: string
  let file: string
  let running: RunningHttpServer | undefined
  let fleet: FleetProcess[] = []

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'retoken-file-kill-'))
    file = join(dir, 'session.json')
    process.env.RETOKEN_FILE_STALE_MS = String(STALE_MS)
  })
  afterEach(async () => {
    delete process.env.RETOKEN_FILE_STALE_MS
    await stopFleet(fleet)
    fleet = []
    await running?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  /** Eight processes on one file, logged in, the access token expired on the server; the first one refreshing, then killed. */
  async function killHolder(reuseGraceSeconds: number, fault: 'spent' | 'not-spent') {
    running = await startHttpServer({ port: 0, accessTokenTtl: 60, reuseGraceSeconds })
    const { server } = running
    const config = { api: running.url, storageModule, name: file }
    const [victim] = await startFleet(1, { ...config, refreshTimeout: VICTIM_REFRESH_TIMEOUT_MS })
    const others = await startFleet(PROCESSES - 1, {
      ...config,
      refreshTimeout: REFRESH_TIMEOUT_MS,
    })
    if (!victim) throw new Error('no victim process')
    fleet = [victim, ...others]
    const tokens = await server.issueTokens()
    await victim.run({ type: 'login', tokens })
    await waitFor(async () => {
      const states = await Promise.all(fleet.map((p) => p.run({ type: 'state' })))
      return states.every((s) => s.accessToken === tokens.accessToken)
    }, 'every process on the login')
    server.clock.setOffset(61)
    // the server holds the victim's call: after rotating the token, or before spending it
    server.faults.failNextRefresh(
      1,
      fault === 'spent' ? { answerAfterMs: 120_000 } : { delayMs: 120_000 },
    )
    void victim.run({ type: 'burst', count: 1 }).catch(() => {})
    await waitFor(
      () =>
        fault === 'spent'
          ? server.auditLog.some((entry) => entry.type === 'refresh')
          : server.counters.refreshCalls === 1,
      'the victim inside its refresh call',
    )
    expect(existsSync(`${file}.lease.lock`), 'the victim holds the lease').toBe(true)
    const exited = new Promise((resolve) => victim.child.once('exit', resolve))
    victim.kill()
    await exited
    return { server, others }
  }

  /** Bursts from every survivor until all requests pass (or `settled`); returns the error names seen on the way. */
  async function burstUntilSettled(others: FleetProcess[], settled?: () => Promise<boolean>) {
    const seen: string[] = []
    const deadline = Date.now() + 60_000
    while (Date.now() < deadline) {
      const reports = await Promise.all(others.map((p) => p.run({ type: 'burst', count: 2 })))
      seen.push(...reports.flatMap((r) => r.errors))
      if (settled ? await settled() : reports.every((r) => r.failed === 0)) return seen
    }
    const states = await Promise.all(others.map((p) => p.run({ type: 'state' })))
    throw new Error(
      `the survivors never settled: ${seen.length} failures (${[...new Set(seen)].join(', ')}), ${JSON.stringify(states.map((s) => [s.status, s.refreshes, s.accessToken?.slice(-8)]))}`,
    )
  }

  it('should let the others carry on when the server had spent the token, within its reuse grace', async () => {
    const { server, others } = await killHolder(60, 'spent')
    const errors = await burstUntilSettled(others)
    console.log(
      `fileStorage, holder killed after the server spent the token (grace 60 s): refresh calls ${server.counters.refreshCalls}, reuse detections ${server.counters.reuseDetections}, transient failures while waiting ${errors.length}`,
    )
    expect(errors.filter((name) => !TRANSIENT.has(name))).toEqual([])
    // the victim's spent token, presented once more inside the grace interval
    expect(server.counters).toMatchObject({ refreshCalls: 2, reuseDetections: 0 })
    const states = await Promise.all(others.map((p) => p.run({ type: 'state' })))
    expect(new Set(states.map((s) => s.accessToken)).size).toBe(1)
    expect(states.every((s) => s.status === 'authenticated')).toBe(true)
    // and the next expiry is ordinary again: one refresh, nothing fails
    server.clock.setOffset(2 * 61)
    const reports = await Promise.all(others.map((p) => p.run({ type: 'burst', count: 3 })))
    expect(reports.flatMap((r) => r.errors)).toEqual([])
    expect(server.counters).toMatchObject({ refreshCalls: 3, reuseDetections: 0 })
  }, 90_000)

  it('should let the others carry on when the server had not spent the token yet, even with grace 0', async () => {
    const { server, others } = await killHolder(0, 'not-spent')
    const errors = await burstUntilSettled(others)
    expect(errors.filter((name) => !TRANSIENT.has(name))).toEqual([])
    expect(server.counters).toMatchObject({ refreshCalls: 2, reuseDetections: 0 })
    const states = await Promise.all(others.map((p) => p.run({ type: 'state' })))
    expect(new Set(states.map((s) => s.accessToken)).size).toBe(1)
    expect(states.every((s) => s.status === 'authenticated')).toBe(true)
  }, 90_000)

  it('should lose the session, and nothing else, when the server had spent the token and grants no grace', async () => {
    const { server, others } = await killHolder(0, 'spent')
    // The survivors can only present the token the dead process spent: the server
    // takes it for reuse and revokes the session, and every survivor is logged out.
    // The remedy is a reuse grace interval (the first test).
    const errors = await burstUntilSettled(others, async () => {
      const states = await Promise.all(others.map((p) => p.run({ type: 'state' })))
      return states.every((s) => s.status === 'unauthenticated')
    })
    console.log(
      `fileStorage, holder killed after the server spent the token (grace 0): refresh calls ${server.counters.refreshCalls}, reuse detections ${server.counters.reuseDetections}, every survivor logged out`,
    )
    // Exactly one reuse. A survivor whose refresh failed withdraws its claim, so another
    // one may present the (now revoked) token once more before the logout reaches it:
    // refused as revoked, not counted as reuse.
    expect(server.counters.reuseDetections).toBe(1)
    expect(server.counters.refreshCalls).toBeGreaterThanOrEqual(2)
    expect(server.counters.refreshCalls).toBeLessThanOrEqual(1 + others.length)
    expect(errors).toContain('SessionExpiredError')
  }, 90_000)
})
