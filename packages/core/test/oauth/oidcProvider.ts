import { createHash, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { verifyDpopProof } from '@retoken/mock-server'
import Provider, { type Configuration } from 'oidc-provider'

/** What the tests count on the authorization server and the resource server. */
export interface ProviderCounters {
  /** Successful refresh_token grants. */
  refreshes: number
  /** Refresh tokens presented after they had been rotated (oidc-provider revokes the grant). */
  reuse: number
  /** Refresh grants refused for another reason. */
  refusedRefreshes: number
  /** Requests the resource server answered, by status. */
  resourceRequests: Record<number, number>
  /** DPoP-bound tokens the resource server refused for a missing, wrong or reused proof. */
  dpopRefusals: number
}

const seenProofs = new Set<string>()

/** A running oidc-provider plus a resource server that validates its access tokens. */
export interface RunningProvider {
  issuer: string
  /** The resource server's origin: `GET /api/orders` needs a valid access token. */
  api: string
  counters: ProviderCounters
  provider: Provider
  /**
   * Logs `user` in through the authorization code flow (login and consent forms) and
   * returns the token response; `tokenFetch` sends the code exchange (a DPoP client's `keys.fetch`).
   */
  login(user?: string, tokenFetch?: TokenFetch): Promise<TokenResponse>
  /** Makes the resource server refuse this access token from now on, as if it had expired. */
  expire(accessToken: string): Promise<void>
  close(): Promise<void>
}

/** How the code exchange is sent. */
export type TokenFetch = (url: string, init: RequestInit) => Promise<Response>

/** A token endpoint's answer, as RFC 6749 section 5.1 names it. */
export interface TokenResponse {
  access_token: string
  refresh_token: string
  expires_in: number
  token_type: string
}

const CLIENT_ID = 'retoken-spa'
const REDIRECT_URI = 'http://127.0.0.1/callback'

/** The public client the tests refresh as. */
export const providerClientId = CLIENT_ID

/**
 * Starts node oidc-provider (OpenID Certified) in this process on a free port, with a
 * public client, refresh-token rotation on every use and opaque access tokens, and a
 * resource server beside it that checks each token against the provider.
 */
export async function startProvider(extra: Partial<Configuration> = {}): Promise<RunningProvider> {
  const counters: ProviderCounters = {
    refreshes: 0,
    reuse: 0,
    refusedRefreshes: 0,
    resourceRequests: {},
    dpopRefusals: 0,
  }
  const authServer = await listenOnFreePort()
  const issuer = `http://127.0.0.1:${(authServer.address() as AddressInfo).port}`
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [REDIRECT_URI],
      },
    ],
    cookies: { keys: [randomBytes(16).toString('hex')] },
    findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
    rotateRefreshToken: true,
    ttl: { AccessToken: 3600, RefreshToken: 86_400, Grant: 86_400, Session: 86_400 },
    ...extra,
  })
  provider.on('grant.success', (ctx) => {
    if (ctx.oidc.params?.grant_type === 'refresh_token') counters.refreshes += 1
  })
  provider.on('grant.error', (ctx, error) => {
    if (ctx.oidc.params?.grant_type !== 'refresh_token') return
    const detail = (error as { error_detail?: string }).error_detail
    if (detail === 'refresh token already used') counters.reuse += 1
    else counters.refusedRefreshes += 1
  })
  // oidc-provider logs every server_error to the console; the tests look at counters
  provider.on('server_error', () => {})
  const callback = provider.callback()
  authServer.on('request', callback)

  const apiServer = await listenOnFreePort()
  apiServer.on('request', (req, res) => void serveResource(provider, counters, req, res))
  const api = `http://127.0.0.1:${(apiServer.address() as AddressInfo).port}`

  return {
    issuer,
    api,
    counters,
    provider,
    login: (user = 'user-1', tokenFetch: TokenFetch = fetch) =>
      authorizationCodeLogin(issuer, user, tokenFetch),
    async expire(accessToken) {
      const token = await provider.AccessToken.find(accessToken)
      await token?.destroy()
    },
    async close() {
      await Promise.all([closeServer(authServer), closeServer(apiServer)])
    },
  }
}

async function serveResource(
  provider: Provider,
  counters: ProviderCounters,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    counters.resourceRequests[status] = (counters.resourceRequests[status] ?? 0) + 1
    res.writeHead(status, { 'content-type': 'application/json', ...headers })
    res.end(JSON.stringify(body))
  }
  const [, scheme, value] = /^(Bearer|DPoP) (.+)$/.exec(req.headers.authorization ?? '') ?? []
  const token = value ? await provider.AccessToken.find(value) : undefined
  if (!token || token.isExpired) {
    return answer(
      401,
      { error: 'invalid_token' },
      { 'www-authenticate': 'Bearer error="invalid_token"' },
    )
  }
  // a DPoP-bound token (RFC 9449 section 7): only as DPoP, with a fresh proof by its key
  if (token.jkt) {
    const proof = await verifyDpopProof(String(req.headers.dpop ?? ''), {
      method: req.method ?? 'GET',
      url: `http://${req.headers.host}${req.url}`,
      accessToken: value,
      nowSeconds: Math.floor(Date.now() / 1000),
      algorithms: ['ES256'],
      iatWindowSeconds: 60,
      remember: (jti, htu) => !seenProofs.has(`${htu} ${jti}`) && !!seenProofs.add(`${htu} ${jti}`),
    })
    if (scheme !== 'DPoP' || !proof.ok || proof.jkt !== token.jkt) {
      counters.dpopRefusals += 1
      return answer(
        401,
        { error: 'invalid_token' },
        { 'www-authenticate': 'DPoP error="invalid_token"' },
      )
    }
  }
  answer(200, { owner: token.accountId, orders: [{ id: 'ord_1' }] })
}

/** The authorization code flow with PKCE, through oidc-provider's own login and consent forms. */
async function authorizationCodeLogin(
  issuer: string,
  user: string,
  tokenFetch: TokenFetch,
): Promise<TokenResponse> {
  const verifier = randomBytes(32).toString('base64url')
  const challenge = createHash('sha256').update(verifier).digest('base64url')
  const cookies = new Map<string, string>()
  const go = async (url: string, form?: Record<string, string>) => {
    const response = await fetch(new URL(url, issuer), {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: new URLSearchParams(form) } : {}),
    })
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';')
      const at = pair.indexOf('=')
      cookies.set(pair.slice(0, at), pair.slice(at + 1))
    }
    await response.arrayBuffer()
    const location = response.headers.get('location')
    if (!location) throw new Error(`${url} answered ${response.status} without a redirect`)
    return location
  }
  const authorize = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid offline_access',
    prompt: 'consent',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  })
  let location = await go(`/auth?${authorize}`)
  for (const prompt of ['login', 'consent']) {
    location = await go(await go(location, { prompt, login: user, password: 'any' }))
  }
  const code = new URL(location).searchParams.get('code')
  if (!code) throw new Error(`the flow ended at ${location} without a code`)
  const response = await tokenFetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
      client_id: CLIENT_ID,
    }),
  })
  const body = (await response.json()) as TokenResponse
  if (!response.ok || !body.refresh_token)
    throw new Error(`token exchange: ${JSON.stringify(body)}`)
  return body
}

function listenOnFreePort(): Promise<Server> {
  const server = createServer()
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.closeAllConnections()
    server.close((error) => (error ? reject(error) : resolve()))
  })
}
