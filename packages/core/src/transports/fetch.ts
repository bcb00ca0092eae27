import { engineOf } from '../engine/engine'
import { type AllowedOrigins, createOriginPolicy } from '../engine/originPolicy'
import type { SessionControls } from '../engine/types'
import { InvalidOptionsError } from '../errors/InvalidOptionsError'
import { directCall, requestCall } from './fetchCall'
import { createFetchRetry } from './fetchRetry'
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
export function createFetch(auth: SessionControls, options: FetchOptions = {}): AuthFetch {
  const engine = engineOf(auth)
  const { headerName, prefix, refreshOn } = resolveTransportOptions(options)
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

  const run = createFetchRetry(engine, {
    prefix,
    refreshOn,
    isAllowedUrl,
    shouldRefresh: options.shouldRefresh,
  })

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
