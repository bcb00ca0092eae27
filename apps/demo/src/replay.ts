import { foreignKey } from './foreignProof'

/** What the server answered one replay attempt; never the token it carried. */
export interface ReplayAttempt {
  /** What was sent, in words. */
  what: string
  status: number
  /** The OAuth error code, or empty when the call succeeded. */
  error: string
  description: string
}

/** What the attacker holds: copies of the tokens, and the header that picks the demo's server. */
export interface Loot {
  accessToken: string
  /** `null` when the page keeps it where a script cannot read it from storage. */
  refreshToken: string | null
  serverHeaders: Record<string, string>
}

/** Signs a proof for one request, with the nonce the server gave, if any. */
type Prove = (nonce: string | undefined) => Promise<string>

/**
 * Replays copied tokens from a plain `fetch`, as an attacker would. With DPoP off: the
 * access token as Bearer. With DPoP on: the access token with no proof, with a proof by
 * the attacker's own key (taking the nonce the server hands anyone), and as Bearer; the
 * refresh token, if readable, without a proof and with the attacker's.
 */
export async function replayStolenTokens(loot: Loot, dpopOn: boolean): Promise<ReplayAttempt[]> {
  const orders = `${window.location.origin}/api/orders`
  const tokenEndpoint = `${window.location.origin}/oauth/token`
  // the x-demo-server header only routes to the demo's server for this mode; it grants nothing
  const send = (
    what: string,
    url: string,
    init: { method?: string; headers: Record<string, string>; body?: string },
    prove?: Prove,
  ) => answerOf(what, url, { ...init, headers: { ...loot.serverHeaders, ...init.headers } }, prove)
  const asBearer = { headers: { authorization: `Bearer ${loot.accessToken}` } }
  if (!dpopOn) return [await send('Access token as Bearer', orders, asBearer)]

  const sign = await foreignKey()
  const asDpop = { headers: { authorization: `DPoP ${loot.accessToken}` } }
  const attempts = [
    await send('Access token as DPoP, no proof', orders, asDpop),
    await send('Access token as DPoP, proof by another key', orders, asDpop, (nonce) =>
      sign('GET', orders, { accessToken: loot.accessToken, nonce }),
    ),
    await send('Access token as Bearer', orders, asBearer),
  ]
  if (loot.refreshToken === null) return attempts
  const form = {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: loot.refreshToken,
      client_id: 'attacker',
    }).toString(),
  }
  attempts.push(await send('Refresh token, no proof', tokenEndpoint, form))
  attempts.push(
    await send('Refresh token, proof by another key', tokenEndpoint, form, (nonce) =>
      sign('POST', tokenEndpoint, { nonce }),
    ),
  )
  return attempts
}

/** Sends once; with a proof, answers a `use_dpop_nonce` by sending once more with the nonce given. */
async function answerOf(
  what: string,
  url: string,
  init: { method?: string; headers: Record<string, string>; body?: string },
  prove?: Prove,
): Promise<ReplayAttempt> {
  let nonce: string | undefined
  for (;;) {
    const headers = { ...init.headers, ...(prove ? { dpop: await prove(nonce) } : {}) }
    const response = await fetch(url, { ...init, headers })
    const body = (await response.json().catch(() => ({}))) as {
      error?: string
      error_description?: string
    }
    const given = response.headers.get('dpop-nonce')
    if (prove && body.error === 'use_dpop_nonce' && given && nonce === undefined) {
      nonce = given
      continue
    }
    return {
      what: nonce ? `${what}, with the nonce the server hands anyone` : what,
      status: response.status,
      error: body.error ?? '',
      description: body.error_description ?? '',
    }
  }
}
