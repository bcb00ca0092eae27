const MAX_REDIRECTS = 20
// what fetch removes on a redirect to another origin, and when a redirect turns into a GET
const CROSS_ORIGIN_DROPPED = ['authorization', 'cookie', 'proxy-authorization']
const BODY_HEADERS = [
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'content-location',
]

/**
 * Follows redirects by hand as fetch would (the Fetch standard's redirect steps), so
 * `headerName` goes only to allowed origins at each hop. Browsers hide where a redirect
 * leads (an opaque response): it is handed back as is.
 */
export async function followRedirects(
  first: Request,
  send: (request: Request) => Promise<Response>,
  isAllowedUrl: (url: string) => boolean,
  headerName: string,
): Promise<Response> {
  if (first.redirect !== 'follow') return send(first)
  let current = new Request(first, { redirect: 'manual' })
  for (let hops = 0; ; hops++) {
    const replay = current.body && hops < MAX_REDIRECTS ? current.clone() : current
    const response = await send(current)
    const location = response.headers.get('location')
    if (response.status < 300 || response.status > 399 || !location) {
      return hops === 0 ? response : redirected(response, current.url)
    }
    if (hops === MAX_REDIRECTS) throw new TypeError('fetch failed: too many redirects')
    const target = new URL(location, current.url)
    const toGet =
      (response.status === 303 && current.method !== 'GET' && current.method !== 'HEAD') ||
      ((response.status === 301 || response.status === 302) && current.method === 'POST')
    // copied entry by entry: msw's patched Headers would drop some from a Headers object
    const headers = new Headers([...current.headers])
    if (target.origin !== new URL(current.url).origin) {
      for (const name of CROSS_ORIGIN_DROPPED) headers.delete(name)
    }
    if (!isAllowedUrl(target.href)) headers.delete(headerName)
    if (toGet) for (const name of BODY_HEADERS) headers.delete(name)
    void response.body?.cancel().catch(() => {})
    current = new Request(target, {
      method: toGet ? 'GET' : current.method,
      headers,
      body: toGet ? null : replay.body,
      signal: current.signal,
      redirect: 'manual',
      credentials: current.credentials,
      // a streamed body needs half duplex in undici
      ...({ duplex: 'half' } as object),
    })
  }
}

/** Marks a response reached through redirects followed by hand, as fetch itself would. */
function redirected(response: Response, url: string): Response {
  Object.defineProperty(response, 'redirected', { value: true })
  if (response.url !== url) Object.defineProperty(response, 'url', { value: url })
  return response
}
