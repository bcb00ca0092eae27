import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, INSECURE_HOST, startBrowserLab, tabOf } from './harness'
import type { TabSetup } from './page'

type Lab = Awaited<ReturnType<typeof startBrowserLab>>
type LabSession = Awaited<ReturnType<Lab['session']>>

const TRIALS = Number(process.env.TAB_TRIALS ?? 20)

describe.skipIf(!hasChromium)('tabs in a real Chromium', () => {
  let lab: Lab
  beforeAll(async () => {
    lab = await startBrowserLab()
  }, 60_000)
  afterAll(() => lab?.close())

  const settled = async (tabs: ReturnType<typeof tabOf>[]) => {
    // followers adopt the hand-over asynchronously: wait until every tab holds one token
    for (let i = 0; i < 100; i++) {
      const tokens = new Set((await Promise.all(tabs.map((t) => t.state()))).map((s) => s.token))
      if (tokens.size === 1 && !tokens.has(null)) return
      await tabs[0]?.page.waitForTimeout(20)
    }
    throw new Error('the tabs did not end on one session')
  }

  /** Opens `count` tabs on one session, bursts in all of them after each expiry, counts on the server. */
  async function burstTrials(
    session: LabSession,
    count: number,
    setup: Omit<TabSetup, 'api'>,
    trials: number,
    { openFirst = false } = {},
  ) {
    const tabs = [tabOf(await session.open(setup))]
    // memory tabs restore nothing: they must be open to hear of the login
    if (!openFirst) await tabs[0]?.login()
    for (let i = 1; i < count; i++) tabs.push(tabOf(await session.open(setup)))
    if (openFirst) await tabs[0]?.login()
    await settled(tabs)
    const before = session.api.server.counters.refreshCalls
    for (let trial = 1; trial <= trials; trial++) {
      session.expireTokens()
      const statuses = (await Promise.all(tabs.map((t) => t.burst(3)))).flat()
      expect(statuses.filter((s) => s !== 200)).toEqual([])
      expect(session.api.server.counters.reuseDetections).toBe(0)
      expect(session.api.server.counters.refreshCalls - before).toBe(trial)
      await settled(tabs)
    }
    return tabs
  }

  it('should refresh once per expiry for 2 localStorage tabs bursting together', async () => {
    const session = await lab.session()
    try {
      await burstTrials(session, 2, { storage: 'local' }, TRIALS)
    } finally {
      await session.close()
    }
  }, 120_000)

  it('should refresh once per expiry for 10 localStorage tabs bursting together', async () => {
    const session = await lab.session()
    try {
      await burstTrials(session, 10, { storage: 'local' }, TRIALS)
    } finally {
      await session.close()
    }
  }, 180_000)

  it('should refresh once per expiry on an origin without Web Locks', async () => {
    const session = await lab.session({ host: INSECURE_HOST })
    try {
      const probe = tabOf(await session.open({ storage: 'local' }))
      expect(await probe.hasLocks()).toBe(false)
      await probe.page.close()
      await burstTrials(session, 5, { storage: 'local' }, TRIALS)
    } finally {
      await session.close()
    }
  }, 180_000)

  it('should refresh a duplicated sessionStorage tab once, without reuse', async () => {
    const session = await lab.session()
    try {
      const original = tabOf(await session.open({ storage: 'session' }))
      await original.login()
      // Chromium's "Duplicate tab" copies sessionStorage into the new tab
      const copied = await original.page.evaluate(() => JSON.stringify({ ...sessionStorage }))
      const page = await session.context.newPage()
      await page.addInitScript((entries) => {
        for (const [key, value] of Object.entries(JSON.parse(entries) as Record<string, string>)) {
          sessionStorage.setItem(key, value)
        }
      }, copied)
      const duplicate = tabOf(await session.open({ storage: 'session' }, page))
      expect((await duplicate.state()).status).toBe('authenticated')
      for (let trial = 1; trial <= TRIALS; trial++) {
        session.expireTokens()
        const statuses = (await Promise.all([original.burst(3), duplicate.burst(3)])).flat()
        expect(statuses.filter((s) => s !== 200)).toEqual([])
      }
      expect(session.api.server.counters.reuseDetections).toBe(0)
      expect(session.api.server.counters.refreshCalls).toBe(TRIALS)
    } finally {
      await session.close()
    }
  }, 180_000)

  it('should carry a logout and a login from one tab to the others', async () => {
    const session = await lab.session()
    try {
      const tabs = await burstTrials(session, 3, { storage: 'local' }, 1)
      await tabs[0]?.logout()
      for (const tab of tabs) {
        await tab.page.waitForFunction(
          () =>
            (window as never as { tab: { state(): { status: string } } }).tab.state().status ===
            'unauthenticated',
        )
      }
      await tabs[2]?.login()
      await settled(tabs)
      expect(session.api.server.counters.reuseDetections).toBe(0)
    } finally {
      await session.close()
    }
  }, 60_000)

  it('should survive malformed values written to the shared storage', async () => {
    const session = await lab.session()
    try {
      const tabs = await burstTrials(session, 2, { storage: 'local' }, 1)
      await tabs[1]?.page.evaluate(() => {
        localStorage.setItem('retoken.session', '{"accessToken": 42')
        localStorage.setItem('retoken.session', 'null')
      })
      session.expireTokens()
      const statuses = (await Promise.all(tabs.map((t) => t.burst(3)))).flat()
      expect(statuses.filter((s) => s !== 200)).toEqual([])
      expect(session.api.server.counters.reuseDetections).toBe(0)
    } finally {
      await session.close()
    }
  }, 60_000)

  it('should refresh once per expiry for memory tabs sharing an HttpOnly refresh cookie', async () => {
    const session = await lab.session({ refreshTokenCookie: true })
    try {
      await burstTrials(session, 5, { storage: 'memory', cookie: true }, TRIALS, {
        openFirst: true,
      })
    } finally {
      await session.close()
    }
  }, 180_000)

  it('should let the other tabs carry on when a tab closes mid-refresh, given a reuse grace interval', async () => {
    const session = await lab.session({ reuseGraceSeconds: 10 })
    try {
      const [closing, staying] = await burstTrials(session, 2, { storage: 'local' }, 1)
      if (!closing || !staying) throw new Error('two tabs expected')
      // the server spends the token, then holds the answer until the tab is gone
      session.api.server.faults.failNextRefresh(1, { answerAfterMs: 2_000 })
      session.expireTokens()
      const refreshes = () => session.api.server.auditLog.filter((e) => e.type === 'refresh').length
      const spentBefore = refreshes()
      void closing.burst(1).catch(() => {})
      for (let i = 0; i < 200 && refreshes() === spentBefore; i++) {
        await staying.page.waitForTimeout(10)
      }
      expect(refreshes()).toBe(spentBefore + 1)
      await closing.page.close()
      const statuses = await staying.burst(3)
      expect(statuses).toEqual([200, 200, 200])
      expect(session.api.server.counters.reuseDetections).toBe(0)
    } finally {
      await session.close()
    }
  }, 60_000)

  // Page timers run on real time here (the renewal timer must fire in every tab at
  // once for the race to show), so the tokens are short: 6 s, renewed about every 5 s.
  it('should renew once per expiry across 10 idle tabs with autoRefresh', async () => {
    const session = await lab.session({ accessTokenTtl: 6 })
    try {
      const tabs = await burstTrials(session, 10, { storage: 'local', autoRefresh: true }, 0)
      const before = session.api.server.counters.refreshCalls
      const started = Date.now()
      await tabs[0]?.page.waitForTimeout(16_000)
      const renewals = session.api.server.counters.refreshCalls - before
      const expiries = (Date.now() - started) / 6_000
      expect(renewals).toBeGreaterThanOrEqual(2)
      expect(renewals).toBeLessThanOrEqual(Math.ceil(expiries) + 1)
      expect(session.api.server.counters.reuseDetections).toBe(0)
      await settled(tabs)
      const statuses = (await Promise.all(tabs.map((t) => t.burst(2)))).flat()
      expect(statuses.filter((s) => s !== 200)).toEqual([])
    } finally {
      await session.close()
    }
  }, 60_000)
})
