import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import axe from 'axe-core'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type Demo, hasChromium, startDemo, until } from './browser'

const artifacts = fileURLToPath(new URL('./artifacts/', import.meta.url))
mkdirSync(artifacts, { recursive: true })

// Everything waits for a condition (what the page shows, or the server's counters);
// nothing sleeps. The server's clock is moved to expire tokens.
describe.skipIf(!hasChromium)('the demo in a real browser', () => {
  let demo: Demo
  let context: BrowserContext

  beforeAll(async () => {
    demo = await startDemo()
  })
  afterAll(() => demo?.close())
  beforeEach(() => demo.control('reset'))
  afterEach(async ({ task }) => {
    // a failed test leaves its pages behind as pictures, to read what the user saw
    if (task.result?.state === 'fail') {
      const pages = context?.pages() ?? []
      await Promise.all(
        pages.map((page, i) => screenshot(page, `failed-${task.name.slice(0, 40)}-${i}`)),
      )
    }
    await context?.close()
    expect(demo.errors).toEqual([])
  })

  const open = async (settings: Parameters<Demo['newContext']>[0] = {}) => {
    context = await demo.newContext(settings)
    const page = await demo.newPage(context)
    await page.goto(demo.url)
    return page
  }
  const button = (page: Page, name: string | RegExp) =>
    page.getByRole('button', { name, exact: typeof name === 'string' })
  const screenshot = (page: Page, name: string) =>
    page.screenshot({ path: `${artifacts}${name}.png`, fullPage: true })
  const loggedIn = (page: Page) => page.getByTestId('user-name').getByText('Demo User').waitFor()
  const logIn = async (page: Page) => {
    await button(page, 'Log in').click()
    await loggedIn(page)
  }
  const loadOrders = async (page: Page) => {
    await button(page, 'Load orders').click()
    await page.getByTestId('request-result').getByText('Orders loaded').waitFor()
  }
  /** Refresh calls as the page's one source of truth counts them (both servers). */
  const refreshCalls = async () => (await demo.state()).counts.refreshCalls
  const devtools = (page: Page) => page.getByRole('region', { name: 'retoken devtools' })
  const notice = (page: Page) => page.getByTestId('notice')
  /** The page's counters and the page's log rows, per refresh outcome. */
  const pageCounts = (page: Page) =>
    page.evaluate(() => {
      const text = (id: string) =>
        Number(document.querySelector(`[data-testid="${id}"]`)?.textContent ?? Number.NaN)
      const rows = [
        ...document.querySelectorAll('[data-testid="audit-log"] li[data-type="refresh"]'),
      ]
      const outcomes = ['succeeded', 'rejected', 'rate-limited', 'server-error', 'cut', 'timed-out']
      return {
        counters: Object.fromEntries(outcomes.map((o) => [o, text(`count-${o}`)])),
        rows: Object.fromEntries(
          outcomes.map((o) => [
            o,
            rows.filter((row) => row.getAttribute('data-outcome') === o).length,
          ]),
        ),
        total: text('refresh-calls'),
        totalRows: rows.length,
      }
    })
  /** Requests that failed or were answered with an error status, from now on. */
  const failedRequests = (page: Page) => {
    const failures: string[] = []
    page.on('requestfailed', (request) =>
      failures.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`),
    )
    page.on('response', (response) => {
      if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`)
    })
    return failures
  }
  const seriousViolations = async (page: Page) => {
    await page.addScriptTag({ content: axe.source })
    const results = await page.evaluate(() => window.axe.run())
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
  }

  it('should log in with the keyboard alone, and pass axe before and after', async () => {
    const page = await open()
    await page.getByTestId('seeded-credentials').getByText('password123').waitFor()
    expect(await seriousViolations(page)).toEqual([])
    await screenshot(page, 'login')
    // Tab from the top of the page to the email field, then type and submit with Enter
    const email = page.getByLabel('Email')
    for (let i = 0; i < 20 && !(await email.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press('Tab')
    }
    await page.keyboard.press('ControlOrMeta+a')
    await page.keyboard.type('demo@retoken.dev')
    await page.keyboard.press('Tab')
    await page.keyboard.press('ControlOrMeta+a')
    await page.keyboard.type('password123')
    await page.keyboard.press('Enter')
    await loggedIn(page)
    await page.getByText('Token inspector').waitFor()
    expect(await seriousViolations(page)).toEqual([])
    await screenshot(page, 'logged-in')
  })

  it('should answer a burst of N requests after "expire now" with one refresh', async () => {
    const page = await open({ autoRefresh: false })
    await logIn(page)
    await page.getByTestId('burst-count').fill('25')
    await button(page, 'Expire the token now').click()
    await page
      .getByTestId('expire-result')
      .getByText(/^Expired 1 access token on the server at \d\d:\d\d:\d\d; its clock did not move$/)
      .waitFor()
    await button(page, 'Send 25 requests at once').click()
    await page.getByTestId('burst-result').getByText('25 of 25 requests succeeded').waitFor()
    // the card's own summary of what the server saw during the run
    await page
      .getByTestId('burst-server')
      .getByText('Server saw: 1 refresh call (1 succeeded), 25 requests with an expired token')
      .waitFor()
    const state = await demo.state()
    expect(state.counts.refreshCalls).toBe(1)
    expect(state.servers.body.requestsByRoute['GET /api/echo']).toBe(50)
    await page.getByTestId('refresh-calls').getByText('1', { exact: true }).waitFor()
    await screenshot(page, 'burst')
  })

  /** Every refresh outcome once (the timeout too, in `withTimeout`), then the page's counters against its log. */
  const everyOutcome = async (page: Page, withTimeout: boolean) => {
    const faults = ['Fail with 500', 'Network error', ...(withTimeout ? ['Timeout'] : [])]
    for (const name of faults) {
      await button(page, name).click()
      await page
        .getByTestId('fail-result')
        .getByText(/Still logged in/)
        .waitFor()
      await loggedIn(page)
      await loadOrders(page)
    }
    // a rejected refresh: the session is revoked, so the next refresh is refused
    await button(page, 'Revoke the session').click()
    await notice(page)
      .getByText(/refused the refresh \(The session has been revoked\)/)
      .waitFor()
    const state = await demo.state()
    const cookie = (await page.getByTestId('storage-select').inputValue()) === 'cookie'
    const expected = {
      succeeded: faults.length,
      // in cookie mode, the first load tried to restore from a cookie it did not have yet
      rejected: cookie ? 2 : 1,
      'rate-limited': 0,
      'server-error': 1,
      cut: 1,
      'timed-out': withTimeout ? 1 : 0,
    }
    expect(state.counts.byOutcome).toEqual(expected)
    const rows = state.log.filter((entry) => entry.type === 'refresh')
    expect(rows).toHaveLength(state.counts.refreshCalls)
    // the page shows the same numbers, and as many log rows of each kind as it counts
    await until(async () => {
      const shown = await pageCounts(page)
      return shown.total === state.counts.refreshCalls ? shown : undefined
    }, 'the page to show the new counts')
    const shown = await pageCounts(page)
    expect(shown.counters).toEqual(expected)
    expect(shown.rows).toEqual(expected)
    expect(shown.totalRows).toBe(shown.total)
    return state
  }

  it('should count every refresh outcome once, and list each, with the default storage', async () => {
    const page = await open({ autoRefresh: false })
    await logIn(page)
    const state = await everyOutcome(page, true)
    // what reached the mock server: the 500 and the cut one were the plugin's, the
    // timed-out one never arrived; the successes and the rejection did
    expect(state.servers.body.refreshCalls).toBe(state.counts.byOutcome.succeeded + 1)
    expect(state.counts.reuseDetections).toBe(0)
    await screenshot(page, 'every-outcome')
  }, 45_000)

  it('should count every refresh outcome the same way with memory and sessionStorage', async () => {
    for (const storage of ['memory', 'session'] as const) {
      await demo.control('reset')
      const page = await open({ storage, autoRefresh: false })
      await logIn(page)
      const state = await everyOutcome(page, false)
      expect(state.servers.body.refreshCalls).toBe(state.counts.byOutcome.succeeded + 1)
      await screenshot(page, `every-outcome-${storage}`)
      await context.close()
    }
  })

  it('should count every refresh outcome in cookie mode in the same place', async () => {
    const page = await open({ storage: 'cookie', autoRefresh: false })
    await logIn(page)
    const state = await everyOutcome(page, false)
    expect(state.servers.cookie.refreshCalls).toBe(state.counts.byOutcome.succeeded + 1)
    expect(state.servers.body.refreshCalls).toBe(0)
    await page.getByTestId('audit-log').getByText('cookie server').first().waitFor()
    await screenshot(page, 'every-outcome-cookie')
  })

  it('should show an armed fault where the user looks, say what it will do, and disarm it', async () => {
    const page = await open({ autoRefresh: false })
    // logged out: the fault cards cannot run, and say why
    await page
      .getByTestId('fail-reason')
      .getByText(/Log in first/)
      .waitFor()
    expect(await button(page, 'Fail with 500').isDisabled()).toBe(true)
    // armed anyway (another tab, the control API): the banner says so before login
    await demo.control('fail-refresh', { kind: 'server-error' })
    await demo.control('slow-refresh', { ms: '3000' })
    const armed = page.getByTestId('armed-faults')
    await armed.getByText('the next refresh call: answered with a 500').waitFor()
    await armed.getByText('refresh call 2 from now: answered after 3.0 s').waitFor()
    await screenshot(page, 'armed-fault')
    await logIn(page)
    await armed.getByRole('button', { name: 'Disarm all' }).click()
    await armed.waitFor({ state: 'detached' })
    expect((await demo.state()).armed).toEqual([])
    // disarmed for real: the next refresh succeeds at once
    await demo.control('expire')
    await loadOrders(page)
    expect((await demo.state()).counts.byOutcome).toMatchObject({ succeeded: 1, 'server-error': 0 })
  })
  it('should send the user to the login form with a message when the server revokes the session', async () => {
    const page = await open({ autoRefresh: false })
    await logIn(page)
    await button(page, 'Revoke the session').click()
    await page.getByRole('heading', { name: 'Log in' }).waitFor()
    await notice(page)
      .getByText(/log in again/i)
      .waitFor()
    expect((await demo.state()).log.map((entry) => entry.type)).toContain('revoked')
    await screenshot(page, 'revoked')
  })

  it('should log out and say so when the server is reset, so the page never greets a forgotten session', async () => {
    const page = await open({ autoRefresh: false })
    await logIn(page)
    await button(page, 'Reset server').click()
    await page.getByRole('heading', { name: 'Log in' }).waitFor()
    await notice(page)
      .getByText(/The server was reset/)
      .waitFor()
    await page.getByTestId('audit-log').getByText('Nothing yet: log in to start.').waitFor()
    expect((await demo.state()).log).toEqual([])
  })

  it('should share one session between two tabs with localStorage, five times over', async () => {
    const first = await open({ storage: 'local', autoRefresh: false })
    await logIn(first)
    // the page greets the user as soon as the login starts; it is stored (under the tab
    // lock, after the IndexedDB hand-over) a moment later, and a tab opened before that
    // reads nothing
    await first.waitForFunction(() => {
      const stored = localStorage.getItem('retoken.demo.session')
      return stored?.includes('"accessToken":"ey') ?? false
    })
    const second = await demo.newPage(context)
    await second.goto(demo.url)
    await loggedIn(second)
    for (let round = 1; round <= 5; round++) {
      await demo.control('expire')
      await Promise.all([loadOrders(first), loadOrders(second)])
      expect(await refreshCalls()).toBe(round)
      // clear both result lines so the next round waits for a new answer
      await Promise.all(
        [first, second].map((page) =>
          page.getByTestId('request-result').evaluate((el) => {
            el.textContent = ''
          }),
        ),
      )
    }
    const state = await demo.state()
    expect(state.counts.reuseDetections).toBe(0)
    expect(state.log.filter((entry) => entry.type === 'login')).toHaveLength(1)
    // a tab that did not refresh says so in its timeline (which tab won each round varies)
    const followed = await Promise.all(
      [first, second].map(async (page) =>
        ((await page.getByTestId('rtdt-timeline').textContent()) ?? '').includes('another tab'),
      ),
    )
    expect(followed).toContain(true)
    await screenshot(second, 'two-tabs')
    await button(first, 'Log out').click()
    await second.getByRole('heading', { name: 'Log in' }).waitFor()
    await notice(second).getByText('You were logged out in another tab.').waitFor()
    await screenshot(second, 'logged-out-by-another-tab')
  })

  it('should keep the refresh token in an HttpOnly cookie, restore from it and refresh', async () => {
    const page = await open({ storage: 'cookie', autoRefresh: false })
    await logIn(page)
    const cookies = await context.cookies()
    expect(cookies.find((cookie) => cookie.name === 'retoken_rt')?.httpOnly).toBe(true)
    expect(await page.evaluate(() => document.cookie)).not.toContain('retoken_rt')
    await page.reload()
    await loggedIn(page)
    // the restore on the first load (no cookie yet: refused) and the one after the reload
    expect((await demo.state()).counts.byOutcome).toMatchObject({ succeeded: 1, rejected: 1 })
    await demo.control('expire')
    await loadOrders(page)
    const state = await demo.state()
    expect(state.counts.byOutcome).toMatchObject({ succeeded: 2, rejected: 1 })
    expect(state.servers.cookie.refreshCalls).toBe(2)
    expect(state.servers.body.refreshCalls).toBe(0)
    await screenshot(page, 'cookie')
  })

  it('should renew the token silently while idle, with auto-refresh on by default', async () => {
    // no settings: the newcomer's defaults (sessionStorage, auto-refresh on)
    const page = await open()
    expect(await page.getByTestId('auto-refresh').isChecked()).toBe(true)
    const failures = failedRequests(page)
    await logIn(page)
    expect(await refreshCalls()).toBe(0)
    // nothing is clicked: the timer renews the 20 s token 4 s before it expires
    await until(
      async () => ((await refreshCalls()) > 0 ? true : undefined),
      'a silent refresh',
      45_000,
    )
    const state = await demo.state()
    expect(state.counts.refreshCalls).toBe(1)
    const at = (type: string) => state.log.find((entry) => entry.type === type)?.at ?? NaN
    // renewed while the first token was still valid: no request ever waited or got a 401
    expect(at('refresh') - at('login')).toBeLessThan(state.accessTokenTtl * 1000)
    expect(state.counts.expiredTokenRequests).toBe(0)
    await page.getByTestId('refresh-calls').getByText('1', { exact: true }).waitFor()
    await devtools(page)
      .getByTestId('rtdt-status')
      .getByText('authenticated', { exact: true })
      .waitFor()
    await loggedIn(page)
    await loadOrders(page)
    expect(await refreshCalls()).toBe(1)
    expect(failures).toEqual([])
    await screenshot(page, 'idle-refresh')
  }, 60_000)

  it('should hold a request made as the token expires during a 3 s refresh, then send it', async () => {
    const page = await open({ autoRefresh: false })
    await logIn(page)
    await button(page, 'Slow down the next refresh').click()
    // the card's request got its 401 and waits for the refresh; a second one joins the queue
    await page.getByTestId('token-expiry').getByText('Refreshing the access token…').waitFor()
    await loadOrders(page)
    const result = page.getByTestId('slow-result')
    await result.getByText(/^Orders loaded after \d+\.\d s$/).waitFor()
    const seconds = Number(/after ([\d.]+) s/.exec((await result.textContent()) ?? '')?.[1])
    expect(seconds).toBeGreaterThanOrEqual(3)
    await page
      .getByTestId('token-expiry')
      .getByText(/Access token expires in/)
      .waitFor()
    const state = await demo.state()
    expect(state.counts.refreshCalls).toBe(1)
    // the card's request twice (401, then its retry) and the queued one once
    expect(state.servers.body.requestsByRoute['GET /api/orders']).toBe(3)
    expect(state.counts.expiredTokenRequests).toBe(1)
    expect(state.counts.reuseDetections).toBe(0)
    await screenshot(page, 'slow-refresh')
  })

  it('should measure a client clock 10 minutes ahead and not refresh again', async () => {
    const page = await open({ autoRefresh: false })
    await logIn(page)
    const card = page.getByTestId('skew')
    await card.getByLabel('Minutes').fill('10')
    await button(page, 'Apply skew').click()
    await page
      .getByTestId('skew-result')
      .getByText(/^Client clock \+10 min \(.+\); token renewed$/)
      .waitFor()
    for (let round = 0; round < 3; round++) {
      await page.getByTestId('request-result').evaluate((el) => {
        el.textContent = ''
      })
      await loadOrders(page)
    }
    const state = await demo.state()
    // the one refresh the card asks for, then none: the token is not taken for expired
    expect(state.counts.refreshCalls).toBeLessThanOrEqual(1)
    expect(state.counts.expiredTokenRequests).toBe(0)
    expect(state.servers.body.requestsByRoute['GET /api/orders']).toBe(3)
    // the session card counts down on the skewed clock, corrected: the token's 20 s
    const expiry = (await page.getByTestId('token-expiry').textContent()) ?? ''
    expect(Number(/expires in (\d+) s/.exec(expiry)?.[1])).toBeLessThanOrEqual(20)
    // server minus this clock: about -600 s (iat is whole seconds, so -601 too)
    await page
      .getByRole('region', { name: 'retoken devtools' })
      .getByText(/^-60[01] s \(server minus this clock\)$/)
      .waitFor()
    // the devtools count down on the session's clock too (RetokenDevtools' `now`)
    const devtoolsExpiry = await page
      .getByRole('region', { name: 'retoken devtools' })
      .locator('dt:text-is("Expires") + dd')
      .textContent()
    expect(Number(/in (\d+) s/.exec(devtoolsExpiry ?? '')?.[1])).toBeLessThanOrEqual(20)
    await screenshot(page, 'clock-skew')
  })

  it('should renew a token with little time left before a long upload', async () => {
    const page = await open({ autoRefresh: false })
    await logIn(page)
    // the page renews first below 15 s left: wait on its own countdown until it is that old
    await page.waitForFunction(
      () => {
        const text = document.querySelector('[data-testid="token-expiry"]')?.textContent ?? ''
        const left = /expires in (\d+) s/.exec(text)?.[1]
        return left !== undefined && Number(left) < 15
      },
      undefined,
      { timeout: 15_000 },
    )
    // the server takes the page's token for expired: only an upload sent after the
    // renewal can be accepted the first time
    await demo.control('expire')
    await button(page, 'Upload 256 KB').click()
    const [upload, arrived] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/api/upload')),
      // the server holds the upload 2.5 s after it arrives: look at the server meanwhile
      until(async () => {
        const state = await demo.state()
        return state.servers.body.requestsByRoute['POST /api/upload'] ? state : undefined
      }, 'the upload to reach the server'),
    ])
    // by the time the upload arrived, the refresh was done
    expect(arrived.counts.refreshCalls).toBe(1)
    expect(arrived.log.map((entry) => entry.type)).toEqual(['login', 'expire', 'refresh'])
    expect(upload.status()).toBe(200)
    await page
      .getByTestId('upload-result')
      .getByText(/^Uploaded 256 KB: renewed the token first \(it had \d+ s left\)/)
      .waitFor()
    const progress = page.getByRole('progressbar', { name: 'Upload progress' })
    expect(await progress.evaluate((el) => (el as HTMLProgressElement).value)).toBe(1)
    const state = await demo.state()
    expect(state.counts.refreshCalls).toBe(1)
    expect(state.servers.body.requestsByRoute['POST /api/upload']).toBe(1)
    expect(state.counts.expiredTokenRequests).toBe(0)
    await screenshot(page, 'upload')
  })

  it('should decode a pasted token, a "Bearer …" value and an old one, and explain garbage in words', async () => {
    const page = await open()
    const login = await fetch(`${demo.url}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'demo@retoken.dev', password: 'password123' }),
    })
    const { accessToken } = (await login.json()) as { accessToken: string }
    const panel = devtools(page)
    const input = panel.getByLabel('JWT', { exact: true })
    await input.fill(`Bearer ${accessToken}`)
    await panel
      .getByLabel('Claims', { exact: true })
      .getByText(/demo@retoken\.dev/)
      .waitFor()
    await panel
      .getByTestId('rtdt-exp')
      .getByText(/UTC · in (1\d|20) s$/)
      .waitFor()
    await screenshot(page, 'inspector')
    await input.fill('not a token at all')
    await panel
      .getByRole('alert')
      .getByText('Not a JWT: it must have three parts separated by dots (this has 1)')
      .waitFor()
    await input.fill('a.b.c')
    await panel
      .getByRole('alert')
      .getByText(/^Not a JWT that could be decoded: its header/)
      .waitFor()
    await input.fill('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOjF9.x')
    expect(await panel.getByRole('alert').count()).toBe(0)
    await input.fill(`${accessToken.split('.')[0]}.bm90IGpzb24.sig`)
    await panel
      .getByRole('alert')
      .getByText('Not a JWT that could be decoded: its payload is not JSON')
      .waitFor()
    // a token from 2023 reads in years, not in millions of seconds
    const header = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')
    const claims = Buffer.from('{"sub":"old","iat":1672531200,"exp":1672534800}').toString(
      'base64url',
    )
    await input.fill(`${header}.${claims}.sig`)
    await panel
      .getByTestId('rtdt-exp')
      .getByText(/· \d years ago$/)
      .waitFor()
    await screenshot(page, 'inspector-old-token')
  })

  it('should keep the newest timeline row and log line in view after a 50-request burst at 1366×768', async () => {
    context = await demo.newContext({ autoRefresh: false }, { width: 1366, height: 768 })
    const page = await demo.newPage(context)
    await page.goto(demo.url)
    await logIn(page)
    await page.getByTestId('burst-count').fill('50')
    await button(page, 'Expire the token now').click()
    await page
      .getByTestId('expire-result')
      .getByText(/^Expired 1 access token/)
      .waitFor()
    await button(page, 'Send 50 requests at once').click()
    await page.getByTestId('burst-result').getByText('50 of 50 requests succeeded').waitFor()
    await page.getByTestId('refresh-calls').getByText('1', { exact: true }).waitFor()
    const timeline = page.getByTestId('rtdt-timeline')
    const log = page.getByTestId('audit-log')
    // newest first: the last request's retry and the one refresh are the top rows
    await timeline
      .locator('li')
      .first()
      .getByText(/succeeded$/)
      .waitFor()
    await log.locator('li').first().getByText('refresh · succeeded').waitFor()
    /** Whether an element is inside the window and inside every scrolling box around it. */
    const inView = (selector: string) =>
      page.evaluate((css) => {
        const element = document.querySelector(css)
        if (!element) return 'missing'
        const box = element.getBoundingClientRect()
        if (box.top < 0 || box.bottom > window.innerHeight) return `outside the window: ${box.top}`
        for (let parent = element.parentElement; parent; parent = parent.parentElement) {
          const style = getComputedStyle(parent)
          if (!/(auto|scroll|hidden)/.test(style.overflowY)) continue
          const frame = parent.getBoundingClientRect()
          if (box.top < frame.top || box.bottom > frame.bottom)
            return `clipped by ${parent.className}`
        }
        return 'in view'
      }, selector)
    expect(await inView('[data-testid="rtdt-timeline"] li')).toBe('in view')
    expect(await inView('[data-testid="audit-log"] li')).toBe('in view')
    expect(await inView('[data-testid="burst-result"]')).toBe('in view')
    // one time format in both lists: 24-hour clock with seconds
    const times = await page.locator('.rtdt-time, [data-testid="audit-log"] time').allTextContents()
    expect(times.length).toBeGreaterThan(50)
    for (const time of times) expect(time).toMatch(/^\d\d:\d\d:\d\d$/)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      1366,
    )
    await screenshot(page, 'laptop-1366x768')
    await page.screenshot({ path: `${artifacts}laptop-1366x768-viewport.png` })
  })

  it('should expire the token again and again without moving the clock or the skew figure', async () => {
    const page = await open({ autoRefresh: false })
    await logIn(page)
    const skew = devtools(page).locator('dt:text-is("Clock skew") + dd')
    const seconds = async () => Number(/^(-?\d+) s/.exec((await skew.textContent()) ?? '')?.[1])
    const before = await seconds()
    expect(Math.abs(before)).toBeLessThanOrEqual(1)
    for (let round = 1; round <= 3; round++) {
      await button(page, 'Expire the token now').click()
      await page
        .getByTestId('expire-result')
        .getByText(/its clock did not move$/)
        .waitFor()
      await page.getByTestId('request-result').evaluate((el) => {
        el.textContent = ''
      })
      await loadOrders(page)
      expect(await refreshCalls()).toBe(round)
      // iat is whole seconds: the estimate may round either way, never drift by 21 s a press
      expect(Math.abs((await seconds()) - before)).toBeLessThanOrEqual(1)
    }
    const state = await demo.state()
    expect(state.counts.expiredTokenRequests).toBe(3)
    const expiries = state.log.filter((entry) => entry.type === 'expire')
    expect(expiries.map((entry) => entry.detail)).toEqual(
      Array(3).fill('1 access token expired early; the clock did not move'),
    )
    // the server's log times are this machine's: nothing was moved ahead
    expect(Math.abs((state.log.at(-1)?.at ?? 0) - Date.now())).toBeLessThan(5_000)
    await screenshot(page, 'repeated-expiry')
  })

  it('should open a second tab that shares the session by default, and say a storage switch ends it', async () => {
    const first = await open()
    await logIn(first)
    const second = await demo.newPage(context)
    await second.goto(demo.url)
    await loggedIn(second)
    await second
      .getByTestId('tabs-fact')
      .getByText('share this session and take turns to refresh')
      .waitFor()
    await screenshot(second, 'second-tab')
    await first.getByText('Switching logs you out.').waitFor()
    await first.getByTestId('storage-select').selectOption('session')
    await notice(first)
      .getByText(/^Storage switched to sessionStorage .*: that ended the session\.$/)
      .waitFor()
    await first.getByRole('heading', { name: 'Log in' }).waitFor()
    // the other tab follows the settings (it reloads) and was logged out with the session
    await second.getByRole('heading', { name: 'Log in' }).waitFor()
    await second
      .getByTestId('storage-mode')
      .or(second.getByTestId('storage-select'))
      .first()
      .waitFor()
    expect(await second.getByTestId('storage-select').inputValue()).toBe('session')
    await screenshot(first, 'storage-switched')
  })

  /** Two tabs of one context on a shared session; the first clicks "burst in both tabs". */
  const twoTabsBurst = async (coordination: boolean) => {
    const first = await open({ storage: 'local', autoRefresh: false, coordination })
    await logIn(first)
    const second = await demo.newPage(context)
    await second.goto(demo.url)
    await loggedIn(second)
    await first
      .getByTestId('tabs')
      .getByRole('button', { name: 'Expire, then burst in both tabs' })
      .waitFor()
    await until(
      async () =>
        (await button(first, 'Expire, then burst in both tabs').isEnabled()) ? true : undefined,
      'the card to see the second tab',
    )
    await button(first, 'Expire, then burst in both tabs').click()
    await first
      .getByTestId('tabs-server')
      .getByText(/^Server saw: /)
      .waitFor({ timeout: 20_000 })
    return { first, second }
  }

  it('should show reuse detected and the session revoked when two tabs refresh without coordination', async () => {
    const { first, second } = await twoTabsBurst(false)
    await first.getByRole('heading', { name: 'Two tabs, without coordination' }).waitFor()
    const state = await until(async () => {
      const next = await demo.state()
      return next.counts.reuseDetections > 0 ? next : undefined
    }, 'the server to detect reuse')
    console.log('without coordination:', state.counts)
    expect(state.counts.reuseDetections).toBe(1)
    expect(state.counts.byOutcome.succeeded).toBe(1)
    expect(state.counts.byOutcome.rejected).toBeGreaterThanOrEqual(1)
    const types = state.log.map((entry) => entry.type)
    expect(types).toContain('reuse_detected')
    expect(types).toContain('revoked')
    await first
      .getByTestId('tabs-server')
      .getByText(/1 reuse detection, session revoked$/)
      .waitFor()
    // both tabs end up logged out, saying the server refused the refresh: the one that
    // refreshed first learns it at its next request, as a real tab would
    await until(async () => {
      for (const page of [first, second]) {
        if (await page.getByRole('button', { name: 'Load orders' }).isVisible()) {
          await page.getByRole('button', { name: 'Load orders' }).click()
        }
      }
      return (await first.getByRole('heading', { name: 'Log in' }).isVisible()) &&
        (await second.getByRole('heading', { name: 'Log in' }).isVisible())
        ? true
        : undefined
    }, 'both tabs to be logged out')
    for (const page of [first, second]) {
      await notice(page)
        .getByText(/refused the refresh \(.*revoked/)
        .waitFor()
      await page.getByTestId('audit-log').getByText('reuse detected').first().waitFor()
      await devtools(page)
        .getByText(/· failed \(fatal\)$/)
        .first()
        .waitFor()
    }
    await screenshot(first, 'uncoordinated-first-tab')
    await screenshot(second, 'uncoordinated-second-tab')
  }, 45_000)

  it('should make one refresh for two tabs bursting at once with coordination on', async () => {
    const { first, second } = await twoTabsBurst(true)
    await first
      .getByTestId('tabs-result')
      .getByText('This tab: 10 of 10. Other tab: 10 of 10')
      .waitFor()
    const state = await demo.state()
    console.log('with coordination:', state.counts)
    expect(state.counts.refreshCalls).toBe(1)
    expect(state.counts.reuseDetections).toBe(0)
    await first
      .getByTestId('tabs-server')
      .getByText(/^Server saw: 1 refresh call \(1 succeeded\)/)
      .waitFor()
    await loggedIn(first)
    await loggedIn(second)
    await screenshot(first, 'coordinated-two-tabs')
  })

  describe('the DPoP switch and a stolen token', () => {
    const ORIGIN_URL = /^http:\/\/127\.0\.0\.1:\d+/
    const NONCE = '[0-9a-f-]{36}'
    /** The DPoP headers the page sent, to make sure none of their signatures is shown. */
    /** The session in localStorage, once written: the page greets the user a moment before. */
    const storedSession = async (page: Page) => {
      const raw = await page.waitForFunction(() => {
        const stored = localStorage.getItem('retoken.demo.session')
        return stored?.includes('"accessToken":"ey') ? stored : undefined
      })
      return JSON.parse((await raw.jsonValue()) as string)
    }
    const sentProofs = (page: Page) => {
      const proofs: string[] = []
      page.on('request', (request) => {
        const proof = request.headers().dpop
        if (proof) proofs.push(proof)
      })
      return proofs
    }

    it('should bind the session to a key, and show proofs and nonce retries in the devtools', async () => {
      const page = await open({ autoRefresh: false })
      const proofs = sentProofs(page)
      await page.getByTestId('dpop-switch').check()
      await page.waitForURL(demo.url)
      await page.getByTestId('dpop-switch').and(page.locator(':checked')).waitFor()
      await logIn(page)
      await loadOrders(page)
      const state = await demo.state()
      // the login was asked for a nonce (400) and sent once more; the nonce its answer
      // carried is the one the resources want too, so the request went through first time
      expect(state.counts.dpopNonceChallenges).toBe(1)
      expect(state.servers.dpop.requestsByRoute).toMatchObject({
        'POST /auth/login': 2,
        'GET /api/orders': 1,
      })
      expect(state.servers.body.requestsByRoute).toEqual({})
      expect(state.log.find((entry) => entry.type === 'login')?.server).toBe('dpop')
      // the tokens are bound: the server required a proof by the key their cnf.jkt names
      const stored = await storedSession(page)
      expect(stored.tokenType).toBe('DPoP')
      const claims = JSON.parse(
        Buffer.from(String(stored.accessToken).split('.')[1] ?? '', 'base64url').toString(),
      )
      expect(claims.cnf.jkt).toBe(stored.dpopJkt)

      const timeline = page.getByTestId('rtdt-timeline')
      await timeline
        .getByText(
          new RegExp(
            `^DPoP nonce retry · ${ORIGIN_URL.source.slice(1)}/auth/login answered 400 use_dpop_nonce · sent again with nonce ${NONCE}$`,
          ),
        )
        .waitFor()
      const jkt = String(stored.dpopJkt).slice(0, 8)
      await timeline
        .getByText(
          new RegExp(
            `^DPoP proof · GET ${ORIGIN_URL.source.slice(1)}/api/orders · iat \\d\\d:\\d\\d:\\d\\d · nonce ${NONCE} · jti .{8}… · ath .{8}… · key ${jkt.replace(/[-]/g, '\\-')}…$`,
          ),
        )
        .first()
        .waitFor()

      // a refresh goes to the token endpoint with a proof too, and succeeds
      await demo.control('expire', { server: 'dpop' })
      await page.getByTestId('request-result').evaluate((el) => {
        el.textContent = ''
      })
      await loadOrders(page)
      await timeline.getByText('refresh (401) · this tab · succeeded').waitFor()
      await timeline
        .getByText(new RegExp(`^DPoP proof · POST ${ORIGIN_URL.source.slice(1)}/oauth/token · `))
        .first()
        .waitFor()
      expect((await demo.state()).counts.byOutcome).toMatchObject({ succeeded: 1, rejected: 0 })

      const text = await page.evaluate(() => document.body.textContent ?? '')
      expect(proofs.length).toBeGreaterThanOrEqual(6)
      for (const proof of proofs) expect(text).not.toContain(proof.split('.')[2])
      await screenshot(page, 'dpop-timeline')
    })

    it('should refuse every replay of the stolen tokens without the key, and keep the session', async () => {
      const page = await open({ dpop: true, autoRefresh: false })
      await logIn(page)
      const { accessToken, refreshToken } = await storedSession(page)
      await button(page, 'Replay the stolen tokens').click()
      await page
        .getByTestId('replay-result')
        .getByText("5 of 5 replays refused; the page's own request, with its key: 200.")
        .waitFor()
      const attempts = await page.getByTestId('replay-attempts').locator('li').allTextContents()
      expect(attempts).toEqual([
        'Access token as DPoP, no proof: refused: 401 invalid_dpop_proof (A DPoP proof is required)',
        "Access token as DPoP, proof by another key, with the nonce the server hands anyone: refused: 401 invalid_token (The DPoP proof is not signed by the token's key)",
        'Access token as Bearer: refused: 401 invalid_token (A DPoP-bound access token was sent as a Bearer token)',
        'Refresh token, no proof: refused: 400 invalid_dpop_proof (A DPoP proof is required)',
        'Refresh token, proof by another key, with the nonce the server hands anyone: refused: 400 invalid_grant (The refresh token is bound to another DPoP key)',
      ])
      await page
        .getByTestId('replay-server')
        .getByText(/3 DPoP refusals, 2 nonce challenges$/)
        .waitFor()
      const state = await demo.state()
      expect(state.counts.dpopRefusals).toBe(3)
      expect(
        state.log.filter((entry) => entry.type === 'dpop_refused').map((e) => e.detail),
      ).toEqual([
        'GET /api/orders · 401 invalid_dpop_proof: A DPoP proof is required',
        "GET /api/orders · 401 invalid_token: The DPoP proof is not signed by the token's key",
        'GET /api/orders · 401 invalid_token: A DPoP-bound access token was sent as a Bearer token',
      ])
      // the refresh token's replays reached the token endpoint and were refused there
      const refreshes = state.log.filter((entry) => entry.type === 'refresh')
      expect(refreshes.map((entry) => entry.detail)).toEqual([
        '400: A DPoP proof is required',
        '400: Authorization server requires nonce in DPoP proof',
        '400: The refresh token is bound to another DPoP key',
      ])
      expect(state.servers.dpop.dpopProofRejections).toBe(2)
      expect(state.counts.reuseDetections).toBe(0)
      await page.getByTestId('count-dpop-refused').getByText('3', { exact: true }).waitFor()
      // no token value is shown anywhere on the page
      const text = await page.evaluate(() => document.body.textContent ?? '')
      expect(text).not.toContain(accessToken)
      expect(text).not.toContain(refreshToken)
      // the legitimate client goes on, refresh included
      await demo.control('expire', { server: 'dpop' })
      await loadOrders(page)
      expect((await demo.state()).counts.byOutcome.succeeded).toBe(1)
      await loggedIn(page)
      await screenshot(page, 'dpop-replay')
    })

    it('should show a copied Bearer token accepted with DPoP off', async () => {
      const page = await open({ autoRefresh: false })
      await logIn(page)
      await button(page, 'Replay the stolen tokens').click()
      await page
        .getByTestId('replay-result')
        .getByText("0 of 1 replays refused; the page's own request, with its key: 200.")
        .waitFor()
      expect(await page.getByTestId('replay-attempts').textContent()).toBe(
        'Access token as Bearer: accepted (200)',
      )
      expect((await demo.state()).counts.dpopRefusals).toBe(0)
    })

    it('should not offer DPoP with the cookie mode, and say why', async () => {
      const page = await open({ storage: 'cookie', dpop: true })
      await page
        .getByTestId('dpop-note')
        .getByText(/^Not with the cookie mode/)
        .waitFor()
      expect(await page.getByTestId('dpop-switch').isDisabled()).toBe(true)
      expect(await page.getByTestId('dpop-switch').isChecked()).toBe(false)
    })
  })

  it('should fit a 375 px phone in one column', async () => {
    const page = await open()
    await page.setViewportSize({ width: 375, height: 740 })
    const overflow = () =>
      page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(await overflow()).toBeLessThanOrEqual(0)
    await logIn(page)
    await page.getByText('Token inspector').waitFor()
    expect(await overflow()).toBeLessThanOrEqual(0)
    await screenshot(page, 'phone')
  })
})

declare global {
  interface Window {
    axe: typeof axe
  }
}
