import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { build, type PreviewServer, preview } from 'vite'
import type { MockState } from '../server/mockServerPlugin'
import type { DemoSettings } from '../src/settings'

/** Debian's Chromium (playwright's own download cannot reach its host from here). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** CI installs Chromium; elsewhere the e2e tests are skipped, saying why, when it is missing. */
export const hasChromium = existsSync(chromiumPath)
if (!hasChromium && process.env.CI) {
  throw new Error(`CI must run the e2e tests, but there is no Chromium at ${chromiumPath}`)
}

const root = fileURLToPath(new URL('..', import.meta.url))
const configFile = fileURLToPath(new URL('../vite.config.ts', import.meta.url))

/** The production build served by `vite preview` with the mock-server plugin, and Chromium. */
export interface Demo {
  url: string
  browser: Browser
  /** A fresh browser context (own storage and cookies) with these settings on first load. */
  newContext(
    settings?: Partial<DemoSettings>,
    viewport?: { width: number; height: number },
  ): Promise<BrowserContext>
  /** A page that records console errors and uncaught exceptions in `errors`. */
  newPage(context: BrowserContext): Promise<Page>
  /** Console errors and page errors seen so far, in every page. */
  errors: string[]
  /** Both servers' state, as the page reads it. */
  state(): Promise<MockState>
  control(action: string, params?: Record<string, string>): Promise<void>
  close(): Promise<void>
}

/** Builds the demo, serves it with `vite preview` on a free port and launches Chromium. */
export async function startDemo(): Promise<Demo> {
  await build({ root, configFile, configLoader: 'runner', logLevel: 'error' })
  const server: PreviewServer = await preview({
    root,
    configFile,
    configLoader: 'runner',
    preview: { port: 0, host: '127.0.0.1', strictPort: false },
    logLevel: 'error',
  })
  const local = server.resolvedUrls?.local[0]
  if (!local) throw new Error('vite preview did not report the URL it listens on')
  const url = local.replace(/\/$/, '')
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    // the machine has no network: Chromium's background services must stay off
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
  const errors: string[] = []
  return {
    url,
    browser,
    errors,
    async newContext(settings = {}, viewport = { width: 1280, height: 900 }) {
      const context = await browser.newContext({ viewport })
      // shorter than the test's own timeout, so a failure names the locator it waited for
      context.setDefaultTimeout(15_000)
      // a default for the first load only: what the page then chooses is kept
      await context.addInitScript((initial) => {
        if (!window.localStorage.getItem('retoken.demo.settings')) {
          window.localStorage.setItem('retoken.demo.settings', JSON.stringify(initial))
        }
      }, settings)
      return context
    },
    async newPage(context) {
      const page = await context.newPage()
      page.on('console', (message) => {
        if (message.type() !== 'error') return
        // the browser's own line for an HTTP error status the scenario caused on purpose
        // (401 on an expired token, 500 or 400 from the refresh endpoint); anything else fails
        if (
          /^Failed to load resource: the server responded with a status of (401|400|500)/.test(
            message.text(),
          )
        )
          return
        if (/^Failed to load resource: net::ERR_CONTENT_LENGTH_MISMATCH/.test(message.text()))
          return
        errors.push(`console: ${message.text()}`)
      })
      page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
      return page
    },
    async state() {
      return (await (await fetch(`${url}/__mock/state`)).json()) as MockState
    },
    async control(action, params = {}) {
      const response = await fetch(`${url}/__mock/${action}?${new URLSearchParams(params)}`, {
        method: 'POST',
      })
      if (!response.ok) throw new Error(`/__mock/${action} answered ${response.status}`)
    },
    async close() {
      await browser.close()
      await server.close()
    },
  }
}

/** Polls `check` until it returns a value that is not `undefined`; no fixed sleeps. */
export async function until<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    // a polling interval, not a sleep standing in for time that must pass
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
