import { createAuth, createFetch, type DpopPlugin, dpop, oauthRefresh } from '@retoken/core'
import { useMockAuthServer } from '@retoken/mock-server/vitest'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type { SetupServer } from 'msw/node'
import { afterEach, describe, expect, it } from 'vitest'
import { RetokenDevtools } from '../src/index'

const API = 'http://api.test'
const ORDERS = `${API}/api/orders`

/** A DPoP client of the mock server, logged in through `keys.fetch` so its tokens are bound. */
async function dpopClient() {
  const keys = dpop()
  const auth = createAuth({
    refresh: oauthRefresh({ tokenEndpoint: `${API}/oauth/token`, clientId: 'spa' }),
    dpop: keys,
  })
  render(<RetokenDevtools auth={auth} mode="embedded" />)
  const timeline = await screen.findByTestId('rtdt-timeline')
  await auth.setTokens(await login(keys))
  return { auth, keys, timeline, authFetch: createFetch(auth, { allowedOrigins: [API] }) }
}

async function login(keys: DpopPlugin) {
  const response = await keys.fetch(`${API}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'demo@retoken.dev', password: 'password123' }),
  })
  expect(response.status).toBe(200)
  return response.json()
}

/** The `DPoP` header of every request that leaves, as the network sees it. */
function sentProofs(network: SetupServer): string[] {
  const proofs: string[] = []
  network.events.on('request:start', ({ request }) => {
    const proof = request.headers.get('dpop')
    if (proof) proofs.push(proof)
  })
  return proofs
}

const claimsOf = (proof: string) =>
  JSON.parse(Buffer.from(proof.split('.')[1] as string, 'base64url').toString())

let destroy: (() => void) | undefined
afterEach(() => destroy?.())

describe('the timeline of a DPoP client, with nonces at the resources', () => {
  const { server, network } = useMockAuthServer({
    baseUrl: API,
    accessTokenTtl: 60,
    dpop: { nonce: { resource: true } },
  })

  it('should show each proof’s claims and the nonce retry, and no proof signature', async () => {
    const proofs = sentProofs(network)
    const { auth, keys, timeline, authFetch } = await dpopClient()
    destroy = auth.destroy
    expect((await authFetch(ORDERS)).status).toBe(200)
    // the first send had no nonce and was challenged; the second carried the new one
    expect(server.counters.dpopNonceChallenges).toBe(1)
    const [first, second] = proofs.slice(-2).map(claimsOf)
    const jkt = await keys.thumbprint()

    const retry = await within(timeline).findByText(/^DPoP nonce retry/)
    expect(retry).toHaveTextContent(
      `DPoP nonce retry · ${ORDERS} answered 401 use_dpop_nonce · sent again with nonce ${second.nonce}`,
    )
    const rows = within(timeline).getAllByText(new RegExp(`^DPoP proof · GET ${ORDERS}`))
    expect(rows).toHaveLength(2)
    // newest first: the resend's proof carries the nonce, the first none
    expect(rows[0]?.textContent).toContain(`nonce ${second.nonce}`)
    expect(rows[0]?.textContent).toContain(`jti ${second.jti.slice(0, 8)}…`)
    expect(rows[0]?.textContent).toContain(`ath ${second.ath.slice(0, 8)}…`)
    expect(rows[0]?.textContent).toContain(`key ${jkt.slice(0, 8)}…`)
    expect(rows[0]?.textContent).toMatch(/· iat \d\d:\d\d:\d\d ·/)
    expect(rows[1]?.textContent).toContain('nonce none')
    expect(rows[1]?.textContent).toContain(`jti ${first.jti.slice(0, 8)}…`)
    // the login's proof was signed before the panel's recorder saw a session: it is there too
    expect(
      within(timeline).getByText(/^DPoP proof · POST http:\/\/api\.test\/auth\/login/),
    ).toBeInTheDocument()

    const panel = screen.getByRole('region', { name: 'retoken devtools' })
    for (const proof of proofs) {
      expect(proof.split('.')).toHaveLength(3)
      expect(panel.textContent).not.toContain(proof.split('.')[2])
    }
  })

  it('should list only the DPoP rows under the DPoP filter', async () => {
    const { auth, timeline, authFetch } = await dpopClient()
    destroy = auth.destroy
    await authFetch(ORDERS)
    await within(timeline).findByText(/^DPoP nonce retry/)
    await userEvent.selectOptions(screen.getByLabelText('Show'), 'dpop')
    const rows = within(timeline).getAllByRole('listitem')
    expect(rows.length).toBeGreaterThanOrEqual(3)
    for (const row of rows) expect(row).toHaveAttribute('data-kind', 'dpop')
  })
})

describe('the timeline of a DPoP client, with nonces at the token endpoint', () => {
  const { server } = useMockAuthServer({
    baseUrl: API,
    accessTokenTtl: 60,
    dpop: { nonce: { authorization: true } },
  })

  it('should show the refresh call’s nonce retry with the token endpoint’s 400', async () => {
    const { auth, timeline } = await dpopClient()
    destroy = auth.destroy
    // two rotations make the nonce the client holds unacceptable
    server.faults.rotateDpopNonce()
    server.faults.rotateDpopNonce()
    await auth.refresh()
    await within(timeline).findByText(
      new RegExp(`^DPoP nonce retry · ${API}/oauth/token answered 400 use_dpop_nonce`),
    )
    await within(timeline).findByText('refresh (manual) · this tab · succeeded')
    expect(
      within(timeline).getAllByText(new RegExp(`^DPoP proof · POST ${API}/oauth/token`)),
    ).toHaveLength(2)
  })
})
