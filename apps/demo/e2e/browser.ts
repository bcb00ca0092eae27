import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type Browser, chromium, type Page } from 'playwright-core'
import { createServer, type ViteDevServer } from 'vite'

/** Debian's Chromium (playwright's own download cannot reach its host from here). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** CI installs Chromium; elsewhere the e2e tests are skipped, saying why, when it is missing. */
export const hasChromium = existsSync(chromiumPath)
if (!hasChromium && process.env.CI) {
  throw new Error(`CI must run the e2e tests, but there is no Chromium at ${chromiumPath}`)
}

/** Serves the demo with Vite and opens it in headless Chromium. */
export async function openDemo(): Promise<{ page: Page; close(): Promise<void> }> {
  const server: ViteDevServer = await createServer({
    configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
    root: fileURLToPath(new URL('..', import.meta.url)),
    server: { port: 0, host: '127.0.0.1' },
    logLevel: 'error',
  })
  await server.listen()
  const url = server.resolvedUrls?.local[0]
  if (!url) throw new Error('Vite did not report the URL it listens on')
  const browser: Browser = await chromium.launch({
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
  const page = await browser.newPage()
  await page.goto(url.replace('localhost', '127.0.0.1'))
  return {
    page,
    async close() {
      await browser.close()
      await server.close()
    },
  }
}
