import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, openDemo } from './browser'

// Playwright waits for what the user would see; nothing here sleeps.
describe.skipIf(!hasChromium)('the demo in a real browser', () => {
  let page: Page
  let close: () => Promise<void>

  beforeAll(async () => {
    ;({ page, close } = await openDemo())
  })
  afterAll(() => close?.())

  const click = (name: string) => page.getByRole('button', { name, exact: true }).click()
  const artifacts = fileURLToPath(new URL('./artifacts/', import.meta.url))
  mkdirSync(artifacts, { recursive: true })
  const screenshot = (name: string) =>
    page.screenshot({ path: `${artifacts}${name}.png`, fullPage: true })
  const devtools = () => page.getByRole('region', { name: 'retoken devtools' })

  it('should show the seeded credentials, the server message for a wrong password, then log in', async () => {
    await page.getByTestId('seeded-credentials').getByText('password123').waitFor()
    await page.getByLabel('Password').fill('wrong')
    await click('Log in')
    await page.getByText('The email or password is wrong').waitFor()
    await page.getByLabel('Password').fill('password123')
    await click('Log in')
    await page.getByTestId('user-name').getByText('Demo User').waitFor()
  })

  it('should survive an expired token with one refresh for a burst of 20 requests', async () => {
    await click('Load orders')
    await page.getByText('Mechanical keyboard').waitFor()
    await click('Expire access tokens on the server')
    await click('Send 20 requests at once')
    await page.getByText('20 of 20 requests succeeded').waitFor()
    await page.getByTestId('refresh-calls').getByText('1', { exact: true }).waitFor()
    expect(await page.getByTestId('event-log').textContent()).toContain('requestRetried ×')
    await devtools().getByText('refresh (401) · succeeded').waitFor()
    await screenshot('burst')
  })

  it('should decode the current token in the devtools inspector', async () => {
    await devtools().getByRole('button', { name: 'Use the current token' }).click()
    await devtools()
      .getByLabel('Claims', { exact: true })
      .getByText(/demo@retoken\.dev/)
      .waitFor()
    await devtools()
      .getByText(/Decoding is not verification/)
      .waitFor()
    await devtools().getByTestId('rtdt-exp').getByText(/UTC/).waitFor()
    await screenshot('inspector')
  })

  it('should keep the session when a refresh fails for now', async () => {
    await click('Fail the next refresh (500)')
    await click('Expire access tokens on the server')
    await click('Load orders')
    await page
      .getByTestId('request-result')
      .getByText(/Refreshing the access token failed/)
      .waitFor()
    await click('Load orders')
    await page.getByTestId('request-result').getByText('Orders loaded').waitFor()
    // the failed refresh and the one that worked, after the burst's single refresh
    await page.getByTestId('refresh-calls').getByText('3', { exact: true }).waitFor()
  })

  it('should resume the session after a reload', async () => {
    await page.reload()
    await page.getByTestId('user-name').getByText('Demo User').waitFor()
  })

  it('should renew the token silently while idle, with auto-refresh on', async () => {
    // tokens live 20 s and are renewed 4 s early: no click, only waiting for what shows up
    await devtools()
      .getByText(/refresh \((timer|proactive)\) · succeeded/)
      .waitFor({ timeout: 25_000 })
    await screenshot('idle-refresh')
  })

  it('should end the session cleanly when the server revokes it', async () => {
    await click('Revoke all sessions')
    await click('Load orders')
    await page.getByRole('form', { name: 'Log in' }).waitFor()
    await page
      .getByRole('alert')
      .getByText(/log in again/)
      .waitFor()
    await devtools().getByText('session expired').waitFor()
    await screenshot('revoked')
  })
})
