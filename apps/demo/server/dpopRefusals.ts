import type { ServerResponse } from 'node:http'

/**
 * Calls `record` when the DPoP server refuses an access token's use at a resource: a 401
 * whose `WWW-Authenticate` is a DPoP challenge other than `use_dpop_nonce` (no proof, a
 * proof by another key, a bound token sent as Bearer). The mock server counts only some
 * of these itself (`dpopProofRejections`), so the demo counts them all here.
 */
export function watchDpopRefusal(
  res: ServerResponse,
  route: string,
  record: (detail: string) => void,
): void {
  let challenge = ''
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse
  res.writeHead = ((...args: unknown[]) => {
    const headers = args.find((arg) => typeof arg === 'object' && arg !== null)
    const value = (headers as Record<string, unknown> | undefined)?.['www-authenticate']
    if (typeof value === 'string') challenge = value
    return writeHead(...args)
  }) as ServerResponse['writeHead']
  res.on('finish', () => {
    if (res.statusCode !== 401 || !/^DPoP /i.test(challenge)) return
    const error = /error="([^"]*)"/.exec(challenge)?.[1] ?? 'invalid_token'
    if (error === 'use_dpop_nonce') return
    const description = /error_description="([^"]*)"/.exec(challenge)?.[1] ?? 'no reason given'
    record(`${route} · 401 ${error}: ${description}`)
  })
}
