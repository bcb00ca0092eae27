import type { AuthServer } from '@retoken/mock-server'
import axios from 'axios'
import type { SetupServer } from 'msw/node'
import {
  type AuthOptions,
  createAuth,
  createFetch,
  type DpopPlugin,
  dpop,
  oauthRefresh,
  type TokenSet,
} from '../../src/index'
import { API, type TestClock } from '../harness'

export { API }

const demo = { email: 'demo@retoken.dev', password: 'password123' }

/** The login an app with DPoP writes: its own call, sent through `keys.fetch` so the tokens are bound. */
export async function dpopLogin(keys: DpopPlugin): Promise<TokenSet> {
  const response = await keys.fetch(`${API}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(demo),
  })
  if (!response.ok) throw new Error(`login failed: ${response.status} ${await response.text()}`)
  return (await response.json()) as TokenSet
}

/** A DPoP client of the mock server, logged in, with an Axios instance and a fetch on it. */
export async function dpopClient(clock: TestClock, options: Partial<AuthOptions> = {}) {
  const keys = dpop()
  const auth = createAuth({
    refresh: oauthRefresh({ tokenEndpoint: `${API}/oauth/token`, clientId: 'spa' }),
    now: clock.now,
    dpop: keys,
    ...options,
  })
  const api = axios.create({ baseURL: API })
  auth.attach(api)
  const authFetch = createFetch(auth, { allowedOrigins: [API] })
  const tokens = await dpopLogin(keys)
  await auth.setTokens(tokens)
  return { keys, auth, api, authFetch, tokens }
}

/** One request as the network saw it. */
export interface Sent {
  method: string
  url: string
  authorization: string | null
  proof: string | null
}

/** Records every request's Authorization and DPoP headers, as msw sees them leave. */
export function recordSent(network: SetupServer): Sent[] {
  const sent: Sent[] = []
  network.events.on('request:start', ({ request }) => {
    sent.push({
      method: request.method,
      url: request.url,
      authorization: request.headers.get('authorization'),
      proof: request.headers.get('dpop'),
    })
  })
  return sent
}

/** A JWT's header and payload, decoded without checking (the server checks). */
export function decode(jwt: string) {
  const [header, payload] = jwt
    .split('.')
    .slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()))
  return { header, payload }
}

/** The mock server refuses the current access token from now on, as if it had expired. */
export const expireOnServer = (server: AuthServer) => server.clock.setOffset(61)
