import { type DpopPlugin, oauthRefresh, type TokenSet } from '@retoken/core'
import type { Credentials } from './auth'

/** The client id the demo gives the token endpoint (the mock server takes any). */
export const DPOP_CLIENT_ID = 'retoken-demo'

/** `fetch` with the header that picks the demo's DPoP server added to every call. */
const withHeaders =
  (extra: Record<string, string>): typeof fetch =>
  (input, init) => {
    const headers = new Headers(init?.headers)
    for (const [name, value] of Object.entries(extra)) headers.set(name, value)
    return fetch(input, { ...init, headers })
  }

/** The refresh of a DPoP client: the OAuth token endpoint, called with a proof by `createAuth`'s key. */
export const dpopRefresh = (headers: Record<string, string>) =>
  oauthRefresh({
    // absolute: a proof names the full URL it is for (htu)
    tokenEndpoint: `${window.location.origin}/oauth/token`,
    clientId: DPOP_CLIENT_ID,
    fetch: withHeaders(headers),
  })

/** The login of a DPoP client: sent through `keys.fetch`, so the tokens it returns are bound to the key. */
export async function dpopLogin(
  keys: DpopPlugin,
  credentials: Credentials,
  headers: Record<string, string>,
): Promise<TokenSet> {
  const response = await keys.fetch(`${window.location.origin}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(credentials),
  })
  const body = (await response.json().catch(() => ({}))) as TokenSet & {
    error_description?: string
  }
  if (!response.ok) throw new Error(body.error_description ?? `Login failed (${response.status})`)
  return body
}
