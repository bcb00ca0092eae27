import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { startHttpServer } from '../src/node'
import { dpopKey } from './dpopProof'
import { BASE, decodeJwt, demo, useAuthServer } from './harness'

const START = Math.floor(Date.UTC(2026, 0, 1) / 1000)

/** Sends with a DPoP header (and optionally an Authorization header); reads status, headers, body. */
async function send(
  method: string,
  path: string,
  {
    proof,
    authorization,
    json,
    form,
  }: {
    proof?: string
    authorization?: string
    json?: unknown
    form?: Record<string, string>
  },
) {
  const headers: Record<string, string> = {}
  if (proof) headers.DPoP = proof
  if (authorization) headers.Authorization = authorization
  if (json) headers['Content-Type'] = 'application/json'
  if (form) headers['Content-Type'] = 'application/x-www-form-urlencoded'
  const response = await fetch(`${BASE}${path}`, {
    method,
    headers,
    ...(json ? { body: JSON.stringify(json) } : {}),
    ...(form ? { body: new URLSearchParams(form) } : {}),
  })
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies
  const body: any = await response.json()
  return { status: response.status, headers: response.headers, body }
}

const login = async (key: Awaited<ReturnType<typeof dpopKey>>, nonce?: string, iat = START) =>
  send('POST', '/auth/login', {
    proof: await key.proof('POST', `${BASE}/auth/login`, nonce ? { nonce, iat } : { iat }),
    json: demo,
  })

describe('DPoP mode (RFC 9449)', () => {
  describe('token endpoints', () => {
    const { server } = useAuthServer({ dpop: {} })

    it('should bind tokens to the proof key: cnf.jkt on the access token, token_type DPoP', async () => {
      const key = await dpopKey()
      const { status, body } = await login(key)
      expect(status).toBe(200)
      expect(body.tokenType).toBe('DPoP')
      expect(decodeJwt(body.accessToken).payload.cnf).toEqual({ jkt: key.jkt })

      const refreshed = await send('POST', '/oauth/token', {
        proof: await key.proof('POST', `${BASE}/oauth/token`),
        form: { grant_type: 'refresh_token', refresh_token: body.refreshToken },
      })
      expect(refreshed.status).toBe(200)
      expect(refreshed.body.token_type).toBe('DPoP')
      expect(decodeJwt(refreshed.body.access_token).payload.cnf).toEqual({ jkt: key.jkt })
    })

    it('should issue Bearer tokens without a proof unless proofs are required', async () => {
      const { body } = await send('POST', '/auth/login', { json: demo })
      expect(body.tokenType).toBeUndefined()
      expect(decodeJwt(body.accessToken).payload.cnf).toBeUndefined()
    })

    it("should refuse a bound refresh token without the key's proof, and not spend it", async () => {
      const key = await dpopKey()
      const thief = await dpopKey()
      const { body } = await login(key)
      const form = { grant_type: 'refresh_token', refresh_token: body.refreshToken }
      const bare = await send('POST', '/oauth/token', { form })
      expect(bare).toMatchObject({ status: 400, body: { error: 'invalid_grant' } })
      const other = await send('POST', '/oauth/token', {
        proof: await thief.proof('POST', `${BASE}/oauth/token`),
        form,
      })
      expect(other).toMatchObject({ status: 400, body: { error: 'invalid_grant' } })
      const json = await send('POST', '/auth/refresh', {
        json: { refreshToken: body.refreshToken },
      })
      expect(json).toMatchObject({ status: 401, body: { error: 'invalid_grant' } })
      // the real client is not punished for the theft: its token still works, once
      const own = await send('POST', '/oauth/token', {
        proof: await key.proof('POST', `${BASE}/oauth/token`),
        form,
      })
      expect(own.status).toBe(200)
      expect(server.counters.reuseDetections).toBe(0)
    })

    it.each([
      ['typ is not dpop+jwt', { typ: 'JWT' }],
      ['htm is another method', { claims: { htm: 'GET' } }],
      ['htu is another URL', { claims: { htu: `${BASE}/auth/refresh` } }],
      ['iat is too old', { iat: START - 61 }],
      ['iat is in the future', { iat: START + 61 }],
      ['jti is missing', { claims: { jti: undefined } }],
    ])('should refuse a proof whose %s', async (_, options) => {
      const key = await dpopKey()
      const { status, body } = await send('POST', '/auth/login', {
        proof: await key.proof('POST', `${BASE}/auth/login`, options),
        json: demo,
      })
      expect(status).toBe(400)
      expect(body.error).toBe('invalid_dpop_proof')
      expect(server.counters.dpopProofRejections).toBe(1)
    })

    it('should accept htu with a query or in another case of the host, and iat inside the window', async () => {
      const key = await dpopKey()
      const proof = await key.proof('POST', 'http://AUTH.test/auth/login?x=1#y', {
        iat: START + 59,
      })
      expect((await send('POST', '/auth/login', { proof, json: demo })).status).toBe(200)
    })

    it('should refuse a replayed jti for the same htu, and allow it for another htu', async () => {
      const key = await dpopKey()
      const jti = 'same-jti-1234'
      const first = await key.proof('POST', `${BASE}/auth/login`, { jti })
      expect((await send('POST', '/auth/login', { proof: first, json: demo })).status).toBe(200)
      const again = await send('POST', '/auth/login', { proof: first, json: demo })
      expect(again.body.error_description).toContain('used before')
      const { body } = await send('POST', '/auth/login', {
        proof: await key.proof('POST', `${BASE}/auth/login`),
        json: demo,
      })
      const elsewhere = await send('POST', '/oauth/token', {
        proof: await key.proof('POST', `${BASE}/oauth/token`, { jti }),
        form: { grant_type: 'refresh_token', refresh_token: body.refreshToken },
      })
      expect(elsewhere.status).toBe(200)
    })

    it('should refuse a symmetric or unlisted algorithm, a private jwk and a bad signature', async () => {
      const secret = new Uint8Array(32).fill(7)
      const hs = await new SignJWT({
        htm: 'POST',
        htu: `${BASE}/auth/login`,
        jti: 'abcdefgh1',
        iat: START,
      })
        // jose's types forbid a secret in `jwk`; an attacker's proof is not so polite
        .setProtectedHeader({
          alg: 'HS256',
          typ: 'dpop+jwt',
          jwk: { kty: 'oct', k: 'AAAA' } as JWK,
        })
        .sign(secret)
      expect((await send('POST', '/auth/login', { proof: hs, json: demo })).status).toBe(400)

      const es512 = await dpopKey('ES512')
      const unlisted = await es512.proof('POST', `${BASE}/auth/login`)
      expect((await send('POST', '/auth/login', { proof: unlisted, json: demo })).status).toBe(400)

      const { privateKey } = await generateKeyPair('ES256', { extractable: true })
      const key = await dpopKey()
      const leaky = await key.proof('POST', `${BASE}/auth/login`, {
        header: { jwk: await exportJWK(privateKey) },
      })
      const leakyAnswer = await send('POST', '/auth/login', { proof: leaky, json: demo })
      expect(leakyAnswer.status).toBe(400)

      const other = await dpopKey()
      const forged = await key.proof('POST', `${BASE}/auth/login`, { header: { jwk: other.jwk } })
      expect((await send('POST', '/auth/login', { proof: forged, json: demo })).status).toBe(400)
      expect(server.counters.dpopProofRejections).toBe(4)
    })

    it('should refuse two DPoP headers', async () => {
      const key = await dpopKey()
      const proof = await key.proof('POST', `${BASE}/auth/login`)
      const response = await fetch(`${BASE}/auth/login`, {
        method: 'POST',
        headers: [
          ['DPoP', proof],
          ['DPoP', proof],
          ['Content-Type', 'application/json'],
        ],
        body: JSON.stringify(demo),
      })
      expect(response.status).toBe(400)
    })

    it('should refuse the next proofs when a fault says so', async () => {
      server.faults.rejectNextDpopProofs(1)
      const key = await dpopKey()
      expect((await login(key)).body.error_description).toContain('Injected fault')
      expect((await login(key)).status).toBe(200)
    })
  })

  describe('required proofs', () => {
    useAuthServer({ dpop: { required: true } })

    it('should refuse a token request without a proof', async () => {
      const { status, body } = await send('POST', '/auth/login', { json: demo })
      expect(status).toBe(400)
      expect(body.error).toBe('invalid_dpop_proof')
    })
  })

  describe('nonces at the authorization server', () => {
    const { server, clock } = useAuthServer({
      dpop: { nonce: { authorization: true }, nonceTtlSeconds: 60 },
    })

    it('should answer use_dpop_nonce with a nonce, accept it, and rotate it', async () => {
      const key = await dpopKey()
      const first = await login(key)
      expect(first.status).toBe(400)
      expect(first.body.error, first.body.error_description).toBe('use_dpop_nonce')
      const nonce = first.headers.get('dpop-nonce') as string
      expect(nonce).toBeTruthy()
      console.log(
        JSON.stringify(
          server.auditLog.filter((e) => e.type === 'dpop_refused').map((e) => e.detail),
          null,
          1,
        ),
        server.counters,
      )
      const second = await login(key, nonce)
      expect(second.status).toBe(200)
      // every answer carries the nonce in force, 200s too
      expect(second.headers.get('dpop-nonce')).toBe(nonce)

      clock.advance(61)
      const refreshed = await send('POST', '/auth/refresh', {
        proof: await key.proof('POST', `${BASE}/auth/refresh`, { nonce, iat: START + 61 }),
        json: { refreshToken: second.body.refreshToken },
      })
      // the nonce before the current one is still accepted, and the answer brings the new one
      expect(refreshed.status).toBe(200)
      const next = refreshed.headers.get('dpop-nonce')
      expect(next).not.toBe(nonce)
      server.faults.rotateDpopNonce()
      const stale = await login(key, nonce, START + 61)
      expect(stale.body.error).toBe('use_dpop_nonce')
      // refused before the refresh token was looked at: nothing was spent
      expect(server.counters.refreshCalls).toBe(1)
    })

    it('should keep asking for a new nonce in churn mode', async () => {
      server.faults.churnDpopNonces(true)
      const key = await dpopKey()
      let nonce: string | undefined
      const seen = new Set<string>()
      for (let attempt = 0; attempt < 3; attempt++) {
        const answer = await login(key, nonce, Math.floor(clock.now() / 1000))
        expect(answer.body.error).toBe('use_dpop_nonce')
        nonce = answer.headers.get('dpop-nonce') as string
        seen.add(nonce)
      }
      expect(seen.size).toBe(3)
    })
  })

  describe('resources', () => {
    const { server } = useAuthServer({ dpop: { nonce: { resource: true } } })

    const boundSession = async () => {
      const key = await dpopKey()
      const { body } = await login(key)
      return { key, token: body.accessToken as string }
    }
    const orders = `${BASE}/api/orders`

    it('should serve a DPoP-bound token with a proof carrying its hash, and a nonce', async () => {
      const { key, token } = await boundSession()
      const first = await send('GET', '/api/orders', {
        authorization: `DPoP ${token}`,
        proof: await key.proof('GET', orders, { accessToken: token }),
      })
      expect(first.status).toBe(401)
      expect(first.headers.get('www-authenticate')).toMatch(/^DPoP error="use_dpop_nonce"/)
      const nonce = first.headers.get('dpop-nonce') as string
      const second = await send('GET', '/api/orders', {
        authorization: `DPoP ${token}`,
        proof: await key.proof('GET', orders, { accessToken: token, nonce }),
      })
      expect(second.status).toBe(200)
      expect(second.headers.get('dpop-nonce')).toBe(nonce)
    })

    it('should refuse a bound token sent as Bearer, without a proof, with a foreign key or without ath', async () => {
      const { key, token } = await boundSession()
      const nonce = (
        await send('GET', '/api/orders', { authorization: `DPoP ${token}` })
      ).headers.get('dpop-nonce') as string
      const thief = await dpopKey()
      const attempts = [
        { authorization: `Bearer ${token}` },
        { authorization: `DPoP ${token}` },
        {
          authorization: `DPoP ${token}`,
          proof: await thief.proof('GET', orders, { accessToken: token, nonce }),
        },
        { authorization: `DPoP ${token}`, proof: await key.proof('GET', orders, { nonce }) },
        {
          authorization: `DPoP ${token}`,
          proof: await key.proof('GET', orders, { accessToken: `${token}x`, nonce }),
        },
      ]
      for (const attempt of attempts) {
        const answer = await send('GET', '/api/orders', attempt)
        expect(answer.status, JSON.stringify(answer.body)).toBe(401)
        expect(answer.headers.get('www-authenticate')).toMatch(/^DPoP /)
      }
      // the first, proofless request included: every refusal is counted and logged
      expect(server.counters.dpopResourceRefusals).toBe(6)
      expect(server.counters.dpopProofRejections).toBe(4)
      const refused = server.auditLog.filter((entry) => entry.type === 'dpop_refused')
      const noProof = 'GET /api/orders · 401 invalid_dpop_proof: A DPoP proof is required'
      const noHash =
        'GET /api/orders · 401 invalid_dpop_proof: The DPoP proof does not carry the hash of this access token (ath)'
      expect(refused.map((entry) => entry.detail)).toEqual([
        noProof,
        'GET /api/orders · 401 invalid_token: A DPoP-bound access token was sent as a Bearer token',
        noProof,
        "GET /api/orders · 401 invalid_token: The DPoP proof is not signed by the token's key",
        noHash,
        noHash,
      ])
      expect(refused.every((entry) => entry.sub === 'user_demo')).toBe(true)
      expect(JSON.stringify(server.auditLog)).not.toContain(token)
    })

    it('should refuse an unbound token sent with the DPoP scheme, and serve it as Bearer', async () => {
      const { body } = await send('POST', '/auth/login', { json: demo })
      const key = await dpopKey()
      const asDpop = await send('GET', '/api/orders', {
        authorization: `DPoP ${body.accessToken}`,
        proof: await key.proof('GET', orders, { accessToken: body.accessToken }),
      })
      expect(asDpop.status).toBe(401)
      const asBearer = await send('GET', '/api/orders', {
        authorization: `Bearer ${body.accessToken}`,
      })
      expect(asBearer.status).toBe(200)
      expect(server.counters.dpopProofRejections).toBe(0)
      expect(server.counters.dpopResourceRefusals).toBe(1)
    })

    it('should revoke the session of a DPoP-bound token presented at logout with the DPoP scheme', async () => {
      const { token } = await boundSession()
      const out = await send('POST', '/auth/logout', { authorization: `DPoP ${token}` })
      expect(out.body).toEqual({ revoked: true })
      expect(server.auditLog.map((entry) => entry.type)).toContain('revoked')
    })
  })

  it('should expose DPoP-Nonce and WWW-Authenticate over CORS', async () => {
    const running = await startHttpServer({ port: 0, dpop: { nonce: { authorization: true } } })
    try {
      const preflight = await fetch(`${running.url}/auth/login`, {
        method: 'OPTIONS',
        headers: {
          Origin: 'http://localhost:5173',
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type, dpop',
        },
      })
      expect(preflight.headers.get('access-control-allow-headers')).toMatch(/dpop/i)
      const answer = await fetch(`${running.url}/auth/login`, {
        method: 'POST',
        headers: { Origin: 'http://localhost:5173', 'Content-Type': 'application/json' },
        body: JSON.stringify(demo),
      })
      const exposed = answer.headers.get('access-control-expose-headers') ?? ''
      expect(exposed).toMatch(/DPoP-Nonce/)
      expect(exposed).toMatch(/WWW-Authenticate/)
    } finally {
      await running.close()
    }
  })
})
