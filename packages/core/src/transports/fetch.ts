import type { Auth } from '../auth'
import { engineOf } from '../engine/engine'
import { type AllowedOrigins, createOriginPolicy } from '../engine/originPolicy'
import { isRequestCanceled } from '../engine/requestQueue'
import type { Session } from '../engine/session'
import type { RequestSummary } from '../engine/types'
import { BodyNotReplayableError } from '../errors/BodyNotReplayableError'
import { InvalidOptionsError } from '../errors/InvalidOptionsError'
import { directCall, type FetchCall, requestCall } from './fetchCall'
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
   * The fetch to wrap. It is called as fetch is: with a `Request`, or with a string URL
   * and its init (a request without a body is sent without building a `Request`).
   * @default globalThis.fetch, looked up at each call (so polyfills and mocks installed later apply)
   */
  fetch?: (input: string | Request, init?: RequestInit) => Promise<Response>
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
  if (!options.allowedOrigins && !page) throw new InvalidOptionsError('allowedOrigins')
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
  const guard = headerName.toLowerCase() !== 'authorization' ? { isAllowedUrl, headerName } : null
  const send = (input: string | Request, init?: RequestInit) =>
    (options.fetch ?? globalThis.fetch)(input, init)

  // The retry-once rule for fetch: one refresh per refused token, one retry per call.
  // A call with a token ready goes out at once, with no await before it is sent.
  const run = (call: FetchCall): Promise<Response> => {
    let summary: RequestSummary | undefined
    const describe = () => {
      summary ??= { id: engine.nextId(), method: call.method, url: call.url() }
      return summary
    }
    const finished = (status: number | null) => {
      if (!events.has('requestFinished')) return
      events.emit('requestFinished', {
        request: describe(),
        status,
        ok: status !== null && status < 400,
      })
    }
    const signal = call.signal ?? undefined
    // like fetch: an abort rejects with the signal's reason, a logout with an AbortError
    const asFetchError = (error: unknown): never => {
      if (!isRequestCanceled(error)) throw error
      if (signal?.aborted) throw signal.reason
      throw new DOMException((error as Error).message, 'AbortError')
    }

    const attempt = (retry: boolean): Promise<Response> => {
      const session = engine.ready()
      if (session !== undefined) return sendWith(session, retry)
      return engine.sessionFor(signal, describe()).then((s) => sendWith(s, retry), asFetchError)
    }

    const sendWith = (session: Session | null, retry: boolean): Promise<Response> => {
      if (!session) return call.send(null)
      const sent = engine.generation()
      if (events.has('requestStarted'))
        events.emit('requestStarted', { request: describe(), retry })
      let sending: Promise<Response>
      try {
        sending = call.send(prefix + session.accessToken)
      } catch (error) {
        // a wrapped fetch that throws at once fails the call as a rejected fetch would
        sending = Promise.reject(error)
      }
      return sending.then(
        (response) => {
          finished(response.status)
          if (retry || !refreshOn.includes(response.status)) return response
          return refused(response, sent)
        },
        (error: unknown) => {
          finished(null)
          throw error
        },
      )
    }

    const refused = async (response: Response, sent: number): Promise<Response> => {
      // a refusal from a foreign host the request was redirected to says nothing of our token
      if (response.redirected && !isAllowedUrl(response.url)) return response
      if (options.shouldRefresh && !options.shouldRefresh(response, call.request())) return response
      const retry = await engine.afterRefusal(sent, signal, describe()).catch(asFetchError)
      if (!retry) return response
      if (call.oneShot) throw new BodyNotReplayableError(response)
      // the refused response's body is never read: release its connection
      void response.body?.cancel().catch(() => {})
      events.emit('requestRetried', { request: describe() })
      return attempt(true)
    }

    return attempt(false)
  }

  const slow = async (input: string | URL | Request, init?: AuthRequestInit) => {
    if (init?.skipAuth) {
      const { skipAuth: _, ...rest } = init
      return send(new Request(input, rest))
    }
    const request = new Request(input, init)
    if (!isAllowedUrl(request.url)) return send(request)
    return run(requestCall(request, isStream(init?.body), headerName, send, guard))
  }

  return (input, init) => {
    // the common case needs no Request: a string URL, no body, no redirects to follow
    if (typeof input !== 'string' || init?.body != null || init?.skipAuth || guard) {
      return slow(input, init)
    }
    try {
      const url = absoluteUrl(input)
      if (url === null) return slow(input, init)
      if (!isAllowedUrl(url)) return send(input, init)
      return run(directCall(input, init, url, headerName, send))
    } catch (error) {
      // fetch never throws: a failure becomes its rejection
      return Promise.reject(error)
    }
  }
}

// A scheme: the URL is absolute and the origin policy reads it as it is.
const ABSOLUTE = /^[a-z][a-z\d+\-.]*:/i

/** The URL fetch would request, resolved as `new Request()` would; `null` where it cannot be. */
function absoluteUrl(input: string): string | null {
  if (ABSOLUTE.test(input)) return input
  const { document, location } = globalThis as {
    document?: { baseURI?: string }
    location?: { href?: string }
  }
  const base = document?.baseURI ?? location?.href
  if (!base) return null
  try {
    return new URL(input, base).href
  } catch {
    return null
  }
}

function isStream(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false
  return (
    typeof (body as ReadableStream).getReader === 'function' ||
    typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'
  )
}
