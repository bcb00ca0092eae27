import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { type RunningHttpServer, startHttpServer } from '@retoken/mock-server/node'
import { build } from 'esbuild'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumPath, hasChromium } from './harness'

type DpopTab = {
  dpopTab: {
    setup(api: string): Promise<string>
    thumbprint(): Promise<string>
    login(): Promise<void>
    orders(): Promise<number>
    state(): { status: string; token: string | null }
    tryExport(): Promise<string[]>
  }
}

describe.skipIf(!hasChromium)('dpop() in a real Chromium', () => {
  let browser: Browser
  let pages: Server
  let origin = ''
  let api: RunningHttpServer

  beforeAll(async () => {
    const bundle = await build({
      entryPoints: [fileURLToPath(new URL('./dpopPage.ts', import.meta.url))],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      conditions: ['@retoken/source', 'browser', 'module', 'development'],
      logLevel: 'silent',
    })
    const script = bundle.outputFiles[0]?.text ?? ''
    pages = createServer((req, res) => {
      if (req.url === '/page.js')
        res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(script)
      else
        res
          .writeHead(200, { 'Content-Type': 'text/html' })
          .end('<!doctype html><title>dpop</title><script type="module" src="/page.js"></script>')
    })
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    })
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await new Promise((resolve) => pages?.close(resolve))
  })

  const open = async (context: Awaited<ReturnType<Browser['newContext']>>, page?: Page) => {
    const tab = page ?? (await context.newPage())
    await tab.goto(origin)
    await tab.waitForFunction(() => 'dpopTab' in window)
    const status = await tab.evaluate(
      (url) => (window as never as DpopTab).dpopTab.setup(url),
      api.url,
    )
    return { tab, status }
  }
  type Call = Exclude<keyof DpopTab['dpopTab'], 'setup'>
  const call = <K extends Call>(tab: Page, name: K) =>
    tab.evaluate(
      (n: string) => (window as never as { dpopTab: Record<string, () => unknown> }).dpopTab[n]?.(),
      name,
    ) as Promise<Awaited<ReturnType<DpopTab['dpopTab'][K]>>>

  it('should keep one non-extractable key across a reload and share it, and one refresh, between two tabs', async () => {
    // a 120 s iat window: the test expires tokens by moving the server's clock 61 s ahead
    api = await startHttpServer({ port: 0, accessTokenTtl: 60, dpop: { iatWindowSeconds: 120 } })
    const context = await browser.newContext()
    try {
      // two tabs ask for the key at once: the tab lock lets one create it
      const [first, second] = await Promise.all([open(context), open(context)])
      const [a, b] = await Promise.all([
        call(first.tab, 'thumbprint'),
        call(second.tab, 'thumbprint'),
      ])
      expect(a).toBe(b)

      await call(first.tab, 'login')
      expect(await call(first.tab, 'orders')).toBe(200)
      expect((await call(first.tab, 'tryExport'))[0]).toMatch(
        /^InvalidAccessError; extractable=false$/,
      )

      // a reload finds the same key and the session bound to it
      const reloaded = await open(context, first.tab)
      expect(reloaded.status).toBe('authenticated')
      expect(await call(first.tab, 'thumbprint')).toBe(a)
      expect(await call(first.tab, 'orders')).toBe(200)

      // both tabs, one expired token: one refresh on the server, both served
      await second.tab.waitForFunction(
        () => (window as never as DpopTab).dpopTab.state().status === 'authenticated',
      )
      api.server.clock.setOffset(61)
      const statuses = await Promise.all([call(first.tab, 'orders'), call(second.tab, 'orders')])
      console.info(
        '[dpop chromium]',
        JSON.stringify({
          statuses,
          refreshCalls: api.server.counters.refreshCalls,
          rejections: api.server.counters.dpopProofRejections,
          reuse: api.server.counters.reuseDetections,
        }),
      )
      expect(statuses).toEqual([200, 200])
      expect(api.server.counters.refreshCalls).toBe(1)
      expect(api.server.counters.reuseDetections).toBe(0)
      expect(api.server.counters.dpopProofRejections).toBe(0)
    } finally {
      await context.close()
      await api.close()
    }
  })
})
