import type { Auth } from '../auth'
import { engineOf } from '../engine/engine'
import { type AllowedOrigins, createOriginPolicy } from '../engine/originPolicy'
import { isRequestCanceled } from '../engine/requestQueue'
import type { RequestSummary } from '../engine/types'
import { BodyNotReplayableError } from '../errors/BodyNotReplayableError'
import { InvalidOptionsError } from '../errors/InvalidOptionsError'
import { resolveTransportOptions, type TransportOptions } from './transportOptions'

/** Options of {@link createFetch}. */
export interface FetchOptions extends TransportOptions {
  /**
   * Origins that receive the access token, besides the page's own.
   * @default the page's origin (`location.origin`); required where there is none (Node)
   * @example allowedOrigins: ['https://api.example.com']
   */
  allowedOrigins?: AllowedOrigins
  /**
   * The fetch to wrap.
   * @default globalThis.fetch, looked up at each call (so polyfills and mocks installed later apply)
   */
  fetch?: (input: Request, init?: RequestInit) => Promise<Response>
  /**
   * A finer rule, asked after a status in `refreshOn`: return `false` to hand the response back as is.
   * @example shouldRefresh: (response) =>
   *   !String(response.headers.get('www-authenticate')).includes('insufficient_scope')
   */
  shouldRefresh?: (response: Response, request: Request) => boolean
}

/** `RequestInit` plus retoken's per-request opt-out. */
export interface AuthRequestInit extends RequestInit {
  /**
   * Send this request as is: no token, no refresh, no retry (a login call, say).
   * @default false
   */
  skipAuth?: boolean
}

/** A function with the signature of `fetch` that carries and renews the session's token. */
export type AuthFetch = (input: string | URL | Request, init?: AuthRequestInit) => Promise<Response>

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
 * The fetch transport: a `fetch` that adds the access token for allowed origins, waits
 * for the renewal a token due for it needs, and on a 401 refreshes once (for any number
 * of requests) and sends the request again once, with the same method, headers and body.
 * Hand it to any library that takes a custom fetch (ky, openapi-fetch, ofetch).
 * @example
 * const authFetch = createFetch(auth, { allowedOrigins: ['https://api.example.com'] })
 * const response = await authFetch('https://api.example.com/me')
 */
export function createFetch(auth: Auth, options: FetchOptions = {}): AuthFetch {
  const engine = engineOf(auth)
  const { headerName, prefix, refreshOn } = resolveTransportOptions(options)
  const { events } = engine
  const page = (globalThis as { location?: { origin?: string } }).location?.origin
  if (!options.allowedOrigins && !page) {
    throw new InvalidOptionsError('allowedOrigins')
  }
  const allowed = options.allowedOrigins
  const own = page && page !== 'null' ? [page] : []
  const isAllowedUrl = createOriginPolicy(
    typeof allowed === 'function'
      ? (url) => own.includes(url.origin) || allowed(url)
      : [...own, ...(allowed ?? [])],
    undefined,
  )
  // Fetch drops `Authorization` on a redirect to another origin by itself; another header
  // it would forward, so retoken follows those redirects itself and decides at each hop
  const guardsRedirects = headerName.toLowerCase() !== 'authorization'

  const authFetch: AuthFetch = async (input, init) => {
    const send = options.fetch ?? globalThis.fetch
    if (init?.skipAuth) {
      const { skipAuth: _, ...rest } = init
      return send(new Request(input, rest))
    }
    const request = new Request(input, init)
    if (!isAllowedUrl(request.url)) return send(request)
    // a stream is read as it is sent: there is nothing left to send a second time
    const oneShot = isStream(init?.body)
    let summary: RequestSummary | undefined
    const describe = () => {
      summary ??= { id: engine.nextId(), method: request.method, url: request.url }
      return summary
    }

    const attempt = async (retry: boolean): Promise<Response> => {
      let session = engine.ready()
      if (session === undefined) session = await engine.sessionFor(request.signal, describe())
      // only a body is used up by sending; a request without one can be sent again as is
      const outgoing = oneShot || request.body === null ? request : request.clone()
      if (!session) return send(outgoing)
      outgoing.headers.set(headerName, prefix + session.accessToken)
      const sent = engine.generation()
      if (events.has('requestStarted'))
        events.emit('requestStarted', { request: describe(), retry })
      let response: Response
      try {
        response = await (guardsRedirects ? follow(outgoing) : send(outgoing))
      } catch (error) {
        finished(null)
        throw error
      }
      finished(response.status)
      if (retry || !refreshOn.includes(response.status)) return response
      // a refusal from a foreign host the request was redirected to says nothing of our token
      if (response.redirected && !isAllowedUrl(response.url)) return response
      if (options.shouldRefresh && !options.shouldRefresh(response, request)) return response
      if (!(await engine.afterRefusal(sent, request.signal, describe()))) return response
      if (oneShot) throw new BodyNotReplayableError(response)
      // the refused response's body is never read: release its connection
      void response.body?.cancel().catch(() => {})
      events.emit('requestRetried', { request: describe() })
      return attempt(true)
    }

    const finished = (status: number | null) => {
      if (!events.has('requestFinished')) return
      events.emit('requestFinished', {
        request: describe(),
        status,
        ok: status !== null && status < 400,
      })
    }

    // Follows redirects by hand as fetch would (the Fetch standard's redirect steps), so
    // the token goes only to allowed origins at each hop. Browsers hide where a redirect
    // leads (an opaque response): it is handed back as is.
    const follow = async (first: Request): Promise<Response> => {
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

    try {
      return await attempt(false)
    } catch (error) {
      // like fetch: an abort rejects with the signal's reason, a logout with an AbortError
      if (!isRequestCanceled(error)) throw error
      if (request.signal.aborted) throw request.signal.reason
      throw new DOMException((error as Error).message, 'AbortError')
    }
  }
  return authFetch
}

function isStream(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false
  return (
    typeof (body as ReadableStream).getReader === 'function' ||
    typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'
  )
}

/** Marks a response reached through redirects followed by hand, as fetch itself would. */
function redirected(response: Response, url: string): Response {
  Object.defineProperty(response, 'redirected', { value: true })
  if (response.url !== url) Object.defineProperty(response, 'url', { value: url })
  return response
}
