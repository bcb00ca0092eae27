import type { RefreshContext, RefreshResult } from '../engine/types'
import { InvalidOptionsError } from '../errors/InvalidOptionsError'
import { RefreshFailedError } from '../errors/RefreshFailedError'
import { discoverTokenEndpoint } from './discovery'
import { readTokenResponse } from './tokenResponse'

/** How the client proves who it is at the token endpoint (RFC 6749 section 2.3). */
export type ClientAuthentication =
  /** A public client (a browser or mobile app): `client_id` in the body, no secret. */
  | 'none'
  /** `Authorization: Basic` with the id and secret (the default with a `clientSecret`). */
  | 'client_secret_basic'
  /** `client_id` and `client_secret` in the body. */
  | 'client_secret_post'
  /** Anything else (`private_key_jwt`, mTLS headers): add what the server wants to the request. */
  | ((request: { body: URLSearchParams; headers: Headers }) => void | Promise<void>)

/** Options of {@link oauthRefresh}: a `tokenEndpoint`, or an `issuer` to discover it from. */
export interface OAuthRefreshOptions {
  /** The token endpoint URL. Give this or `issuer`. */
  tokenEndpoint?: string
  /** The issuer: its token endpoint is read from its discovery document, once. Give this or `tokenEndpoint`. */
  issuer?: string
  /** The client id registered with the authorization server. */
  clientId: string
  /** The client secret, for confidential clients only (never ship one to a browser). */
  clientSecret?: string
  /**
   * How the client authenticates.
   * @default 'client_secret_basic' with a `clientSecret`, else 'none'
   */
  clientAuthentication?: ClientAuthentication
  /** Scope to ask for; omitted, the server keeps the scope originally granted. */
  scope?: string
  /**
   * The fetch to call the server with, looked up at each call.
   * @default globalThis.fetch
   */
  fetch?: typeof fetch
}

/**
 * The `refresh` option for a standard OAuth 2.0 authorization server (RFC 6749
 * section 6): a form-encoded `grant_type=refresh_token` call. `invalid_grant` ends the
 * session; `invalid_client` and other refusals, network errors, 5xx and 429 keep it
 * and reject with a `RefreshFailedError` that says why. A rotated refresh token is
 * kept, `expires_in` and `token_type` are honoured, and the refresh token appears in
 * no error. With `dpop()` on, the call carries a DPoP proof and follows nonces.
 * @example
 * const auth = createAuth({
 *   refresh: oauthRefresh({ issuer: 'https://login.example.com', clientId: 'my-spa' }),
 *   tokenFormat: 'opaque',
 * })
 */
export function oauthRefresh(
  options: OAuthRefreshOptions,
): (context: RefreshContext) => Promise<RefreshResult> {
  const { tokenEndpoint, issuer, clientId, clientSecret, scope } = checked(options)
  const authenticate =
    options.clientAuthentication ?? (clientSecret === undefined ? 'none' : 'client_secret_basic')
  const fetchFn: typeof fetch = (input, init) => (options.fetch ?? globalThis.fetch)(input, init)
  let endpoint: Promise<string> | null = tokenEndpoint ? Promise.resolve(tokenEndpoint) : null

  const endpointFor = (signal: AbortSignal) => {
    // a failed discovery is forgotten, so the next refresh looks again
    endpoint ??= discoverTokenEndpoint(issuer as string, fetchFn, signal).catch((error) => {
      endpoint = null
      throw error
    })
    return endpoint
  }

  return async ({ refreshToken, signal, dpop }) => {
    if (refreshToken === null) {
      throw new RefreshFailedError('oauthRefresh needs a refresh token, and the session has none')
    }
    const url = await endpointFor(signal)
    const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken })
    if (scope !== undefined) body.set('scope', scope)
    const headers = new Headers({
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
    })
    if (typeof authenticate === 'function') await authenticate({ body, headers })
    else if (authenticate === 'client_secret_basic') {
      headers.set(
        'authorization',
        `Basic ${btoa(`${formEncode(clientId)}:${formEncode(clientSecret ?? '')}`)}`,
      )
    } else {
      body.set('client_id', clientId)
      if (authenticate === 'client_secret_post') body.set('client_secret', clientSecret ?? '')
    }
    const init = { method: 'POST', headers, body, signal }
    const response = await (dpop ? dpop.fetch(url, init, fetchFn) : fetchFn(url, init))
    return readTokenResponse(response, dpop !== undefined)
  }
}

// RFC 6749 section 2.3.1: the id and secret are form-encoded before Basic encoding
const formEncode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+')

function checked(options: OAuthRefreshOptions): OAuthRefreshOptions {
  const fail = (option: string, problem: string): never => {
    throw new InvalidOptionsError(option, `oauthRefresh(): ${problem}`)
  }
  if (typeof options !== 'object' || options === null) fail('options', 'needs an options object')
  const { tokenEndpoint, issuer, clientId, clientAuthentication: method } = options
  if ((tokenEndpoint === undefined) === (issuer === undefined)) {
    fail('tokenEndpoint', 'give either tokenEndpoint or issuer')
  }
  for (const [key, value] of [
    ['tokenEndpoint', tokenEndpoint],
    ['issuer', issuer],
  ] as const) {
    if (value !== undefined && !isAbsoluteUrl(value))
      fail(key, `${String(value)} is not an absolute URL`)
  }
  if (typeof clientId !== 'string' || !clientId) fail('clientId', 'must be a non-empty string')
  const methods = ['none', 'client_secret_basic', 'client_secret_post']
  if (method !== undefined && typeof method !== 'function' && !methods.includes(method)) {
    fail('clientAuthentication', `must be a function or one of ${methods.join(', ')}`)
  }
  if (method?.toString().startsWith('client_secret') && typeof options.clientSecret !== 'string') {
    fail('clientSecret', `${String(method)} needs a clientSecret`)
  }
  return options
}

function isAbsoluteUrl(value: unknown): boolean {
  try {
    return typeof value === 'string' && new URL(value).protocol.startsWith('http')
  } catch {
    return false
  }
}
