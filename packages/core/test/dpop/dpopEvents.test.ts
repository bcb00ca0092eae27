import { describe, expect, it } from 'vitest'
import type { AuthEvents } from '../../src/index'
import { useMockAuthServer } from '../harness'
import { API, decode, dpopClient, recordSent } from './dpopHarness'

const ORDERS = `${API}/api/orders`

describe('dpop() events: what the devtools timeline shows', () => {
  const { server, network, clock } = useMockAuthServer({
    dpop: { nonce: { resource: true }, iatWindowSeconds: 120 },
  })

  it('should report every proof it signs with its claims, the very ones sent, and never its signature', async () => {
    const { auth, authFetch, keys } = await dpopClient(clock)
    const proofs: AuthEvents['dpopProof'][] = []
    auth.on('dpopProof', (event) => proofs.push(event))
    const sent = recordSent(network)
    expect((await authFetch(`${ORDERS}?page=2`)).status).toBe(200)
    // the first send was asked for a nonce, the second carried it
    expect(proofs).toHaveLength(2)
    expect(proofs.map((p) => p.claims)).toEqual(sent.map((s) => decode(s.proof as string).payload))
    expect(proofs[1]?.claims).toMatchObject({ htm: 'GET', htu: ORDERS, nonce: expect.any(String) })
    expect(proofs[1]?.claims.ath).toEqual(expect.any(String))
    expect(proofs[0]?.jkt).toBe(await keys.thumbprint())
    const signatures = sent.map((s) => (s.proof as string).split('.')[2] as string)
    for (const signature of signatures) expect(JSON.stringify(proofs)).not.toContain(signature)
  })

  it('should report a nonce retry at a resource, with the nonce the resend carries', async () => {
    const { auth, authFetch } = await dpopClient(clock)
    const retries: AuthEvents['dpopNonceRetry'][] = []
    auth.on('dpopNonceRetry', (event) => retries.push(event))
    const sent = recordSent(network)
    await authFetch(ORDERS)
    expect(retries).toEqual([
      { url: ORDERS, status: 401, nonce: decode(sent[1]?.proof as string).payload.nonce },
    ])
  })

  it('should report the one resend, not the give-up, when the server keeps asking', async () => {
    const { auth, authFetch } = await dpopClient(clock)
    await authFetch(ORDERS)
    const retries: AuthEvents['dpopNonceRetry'][] = []
    auth.on('dpopNonceRetry', (event) => retries.push(event))
    server.faults.churnDpopNonces(true)
    await authFetch(ORDERS).catch(() => {})
    // one resend with the new nonce, then the typed error: one retry reported, not two
    expect(retries).toHaveLength(1)
  })
})

describe('dpop() events at the authorization server', () => {
  const { server, clock } = useMockAuthServer({
    dpop: { nonce: { authorization: true }, iatWindowSeconds: 120 },
  })

  it('should report the nonce retry of the refresh call', async () => {
    const { auth } = await dpopClient(clock)
    const retries: AuthEvents['dpopNonceRetry'][] = []
    auth.on('dpopNonceRetry', (event) => retries.push(event))
    // two rotations make the nonce the client holds unacceptable
    server.faults.rotateDpopNonce()
    server.faults.rotateDpopNonce()
    await auth.refresh()
    expect(retries).toEqual([{ url: `${API}/oauth/token`, status: 400, nonce: expect.any(String) }])
    expect(server.counters.reuseDetections).toBe(0)
  })
})
