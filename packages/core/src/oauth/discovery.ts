import { RefreshFailedError } from '../errors/RefreshFailedError'

type FetchLike = typeof fetch

/**
 * Finds the token endpoint of `issuer` from its metadata: OpenID Connect discovery
 * (`/.well-known/openid-configuration`), then RFC 8414 when that is missing. The
 * metadata must name the same issuer (RFC 8414 section 3.3), so a document served
 * from elsewhere cannot redirect the refresh token.
 */
export async function discoverTokenEndpoint(
  issuer: string,
  fetchFn: FetchLike,
  signal: AbortSignal,
): Promise<string> {
  const base = issuer.replace(/\/$/, '')
  const { origin, pathname } = new URL(base)
  const path = pathname === '/' ? '' : pathname
  const candidates = [
    `${base}/.well-known/openid-configuration`,
    `${origin}/.well-known/oauth-authorization-server${path}`,
  ]
  let status = 0
  for (const url of candidates) {
    const response = await fetchFn(url, { headers: { accept: 'application/json' }, signal })
    status = response.status
    if (status === 404) continue
    if (!response.ok) break
    const metadata = (await response.json().catch(() => null)) as {
      issuer?: unknown
      token_endpoint?: unknown
    } | null
    const named = typeof metadata?.issuer === 'string' ? metadata.issuer.replace(/\/$/, '') : null
    if (named !== base) {
      throw new RefreshFailedError(
        `The metadata at ${url} names the issuer ${String(metadata?.issuer)}, not ${issuer}`,
      )
    }
    if (typeof metadata?.token_endpoint !== 'string') {
      throw new RefreshFailedError(`The metadata at ${url} has no token_endpoint`)
    }
    return metadata.token_endpoint
  }
  throw new RefreshFailedError(`Discovery of ${issuer} failed (HTTP ${status})`)
}
