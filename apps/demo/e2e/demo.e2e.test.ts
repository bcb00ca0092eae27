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
  afterEach(async () => {
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
  const refreshCalls = async (server: 'body' | 'cookie' = 'body') =>
    (await demo.state(server)).counters.refreshCalls
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
    await page.getByTestId('expire-result').getByText('Every access token has expired').waitFor()
    await button(page, 'Send 25 requests at once').click()
    await page.getByTestId('burst-result').getByText('25 of 25 requests succeeded').waitFor()
    const state = await demo.state()
    expect(state.counters.refreshCalls).toBe(1)
    expect(state.counters.requestsByRoute['GET /api/echo']).toBe(50)
    await page.getByTestId('refresh-calls').getByText('1', { exact: true }).waitFor()
    await screenshot(page, 'burst')
  })

  it('should stay logged in when the next refresh fails (500, network error, timeout)', async () => {
    const page = await open({ autoRefresh: false })
    await logIn(page)
    for (const name of ['Fail with 500', 'Network error', 'Timeout']) {
      await button(page, name).click()
      await page
        .getByTestId('fail-result')
        .getByText(/Still logged in/)
        .waitFor()
      await loggedIn(page)
      await loadOrders(page)
    }
    const state = await demo.state()
    expect(state.timedOutRefreshes).toBe(1)
    expect(state.droppedRefreshes).toBe(1)
    // the 500 and the three refreshes that worked; the lost ones never reached the server
    expect(state.counters.refreshCalls).toBe(4)
    expect(state.counters.reuseDetections).toBe(0)
    await screenshot(page, 'failed-refresh')
  })

  it('should send the user to the login form with a message when the server revokes the session', async () => {
    const page = await open({ autoRefresh: false })
    await logIn(page)
    await button(page, 'Revoke the session').click()
    await page.getByRole('heading', { name: 'Log in' }).waitFor()
    await page
      .getByTestId('login-error')
      .getByText(/log in again/i)
      .waitFor()
    expect((await demo.state()).auditLog.map((entry) => entry.type)).toContain('revoked')
    await screenshot(page, 'revoked')
  })

  it('should share one session between two tabs with localStorage, five times over', async () => {
    const first = await open({ storage: 'local', autoRefresh: false })
    await logIn(first)
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
    expect(state.counters.reuseDetections).toBe(0)
    expect(state.auditLog.filter((entry) => entry.type === 'login')).toHaveLength(1)
    await screenshot(second, 'two-tabs')
    await button(first, 'Log out').click()
    await second.getByRole('heading', { name: 'Log in' }).waitFor()
  })

  it('should keep the refresh token in an HttpOnly cookie, restore from it and refresh', async () => {
    const page = await open({ storage: 'cookie', autoRefresh: false })
    await logIn(page)
    const cookies = await context.cookies()
    expect(cookies.find((cookie) => cookie.name === 'retoken_rt')?.httpOnly).toBe(true)
    expect(await page.evaluate(() => document.cookie)).not.toContain('retoken_rt')
    await page.reload()
    await loggedIn(page)
    expect(await refreshCalls('cookie')).toBe(1)
    await demo.control('expire')
    await loadOrders(page)
    expect(await refreshCalls('cookie')).toBe(2)
    expect(await refreshCalls('body')).toBe(0)
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
    expect(state.counters.refreshCalls).toBe(1)
    const at = (type: string) => state.auditLog.find((entry) => entry.type === type)?.at ?? NaN
    // renewed while the first token was still valid: no request ever waited or got a 401
    expect(at('refresh') - at('login')).toBeLessThan(state.accessTokenTtl * 1000)
    expect(state.counters.expiredTokenRequests).toBe(0)
    await page.getByTestId('refresh-calls').getByText('1', { exact: true }).waitFor()
    await page
      .getByRole('region', { name: 'retoken devtools' })
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
    expect(state.counters.refreshCalls).toBe(1)
    // the card's request twice (401, then its retry) and the queued one once
    expect(state.counters.requestsByRoute['GET /api/orders']).toBe(3)
    expect(state.counters.expiredTokenRequests).toBe(1)
    expect(state.counters.reuseDetections).toBe(0)
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
    expect(state.counters.refreshCalls).toBeLessThanOrEqual(1)
    expect(state.counters.expiredTokenRequests).toBe(0)
    expect(state.counters.requestsByRoute['GET /api/orders']).toBe(3)
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
        return state.counters.requestsByRoute['POST /api/upload'] ? state : undefined
      }, 'the upload to reach the server'),
    ])
    // by the time the upload arrived, the refresh was done
    expect(arrived.counters.refreshCalls).toBe(1)
    expect(arrived.auditLog.map((entry) => entry.type)).toEqual(['login', 'refresh'])
    expect(upload.status()).toBe(200)
    await page
      .getByTestId('upload-result')
      .getByText(/^Uploaded 256 KB: renewed the token first \(it had \d+ s left\)/)
      .waitFor()
    const progress = page.getByRole('progressbar', { name: 'Upload progress' })
    expect(await progress.evaluate((el) => (el as HTMLProgressElement).value)).toBe(1)
    const state = await demo.state()
    expect(state.counters.refreshCalls).toBe(1)
    expect(state.counters.requestsByRoute['POST /api/upload']).toBe(1)
    expect(state.counters.expiredTokenRequests).toBe(0)
    await screenshot(page, 'upload')
  })

  it('should decode a pasted token in the devtools inspector', async () => {
    const page = await open()
    const login = await fetch(`${demo.url}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'demo@retoken.dev', password: 'password123' }),
    })
    const { accessToken } = (await login.json()) as { accessToken: string }
    const devtools = page.getByRole('region', { name: 'retoken devtools' })
    await devtools.getByLabel('JWT', { exact: true }).fill(accessToken)
    await devtools
      .getByLabel('Claims', { exact: true })
      .getByText(/demo@retoken\.dev/)
      .waitFor()
    await devtools.getByTestId('rtdt-exp').getByText(/UTC/).waitFor()
    await screenshot(page, 'inspector')
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
