import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { type RunningHttpServer, startHttpServer } from '@retoken/mock-server/node'
import { build } from 'esbuild'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import type { TabSetup } from './page'

/** Debian's Chromium (Playwright's own download cannot reach its host from here). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const hasChromium = existsSync(chromiumPath)
if (!hasChromium && process.env.CI) {
  throw new Error(`CI must run the tab tests, but there is no Chromium at ${chromiumPath}`)
}

/** A host name that is not localhost: a plain-http origin there is not a secure context. */
export const INSECURE_HOST = 'staging.test'

/** The mock server over real HTTP, the test page on its own origin, and one Chromium. */
export async function startBrowserLab() {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./page.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions: ['@retoken/source', 'browser', 'module'],
    logLevel: 'silent',
  })
  const script = bundle.outputFiles[0]?.text ?? ''
  const pages: Server = createServer((req, res) => {
    if (req.url === '/page.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(script)
    } else {
      res
        .writeHead(200, { 'Content-Type': 'text/html' })
        .end('<!doctype html><title>tab</title><script type="module" src="/page.js"></script>')
    }
  })
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve))
  const pagePort = (pages.address() as AddressInfo).port
  const browser: Browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--host-resolver-rules=MAP ${INSECURE_HOST} 127.0.0.1`,
    ],
  })
  return {
    browser,
    /** A fresh mock server (rotation, reuse detection, grace 0 unless told) and a browser context. */
    async session(
      options: {
        host?: string
        reuseGraceSeconds?: number
        refreshTokenCookie?: boolean
        accessTokenTtl?: number
      } = {},
    ) {
      const api: RunningHttpServer = await startHttpServer({
        port: 0,
        reuseGraceSeconds: options.reuseGraceSeconds ?? 0,
        refreshTokenCookie: options.refreshTokenCookie ?? false,
        accessTokenTtl: options.accessTokenTtl ?? 60,
      })
      const context: BrowserContext = await browser.newContext()
      const origin = `http://${options.host ?? '127.0.0.1'}:${pagePort}`
      const apiUrl = api.url.replace('localhost', '127.0.0.1')
      const open = async (setup: Omit<TabSetup, 'api'>, page?: Page) => {
        const tab = page ?? (await context.newPage())
        await tab.goto(origin)
        await tab.waitForFunction(() => 'tab' in window)
        await tab.evaluate((s) => (window as never as Tab).tab.setup(s), { ...setup, api: apiUrl })
        return tab
      }
      let offset = 0
      return {
        api,
        context,
        open,
        /** Moves the server's clock: every token issued so far is now expired. */
        expireTokens(seconds = 61) {
          offset += seconds
          api.server.clock.setOffset(offset)
        },
        async close() {
          await context.close()
          await api.close()
        },
      }
    },
    async close() {
      await browser.close()
      await new Promise((resolve) => pages.close(resolve))
    },
  }
}

/** The page's test API, as seen from `page.evaluate`. */
export interface Tab {
  tab: {
    setup(setup: TabSetup): Promise<string>
    login(): Promise<void>
    logout(): Promise<void>
    burst(n: number): Promise<number[]>
    state(): { status: string; token: string | null }
    hasLocks(): boolean
  }
}

/** Drives one tab through the page's test API. */
export function tabOf(page: Page) {
  return {
    page,
    login: () => page.evaluate(() => (window as unknown as Tab).tab.login()),
    logout: () => page.evaluate(() => (window as unknown as Tab).tab.logout()),
    burst: (n: number) => page.evaluate((count) => (window as unknown as Tab).tab.burst(count), n),
    state: () => page.evaluate(() => (window as unknown as Tab).tab.state()),
    hasLocks: () => page.evaluate(() => (window as unknown as Tab).tab.hasLocks()),
  }
}
