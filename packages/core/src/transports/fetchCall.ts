import { followRedirects } from './fetchRedirects'

/** Sends what a call gives it: a `Request`, or a string URL and its init. */
export type Send = (input: string | Request, init?: RequestInit) => Promise<Response>

/** One call of the wrapped fetch, as the retry loop sees it. */
export interface FetchCall {
  readonly method: string
  readonly signal: AbortSignal | null | undefined
  /** Whether its body is a stream, used up by the first send. */
  readonly oneShot: boolean
  /** The absolute URL, for events. */
  url(): string
  /** Sends it with this `Authorization` value (scheme included) and DPoP `proof`, or as is (`null`). */
  send(authorization: string | null, proof?: string): Promise<Response>
  /** The call as a `Request`, as last sent (built only when asked, for `shouldRefresh`). */
  request(): Request
}

// What `new Request()` upper-cases (the Fetch standard's method normalization).
const NORMALIZED = /^(delete|get|head|options|post|put)$/i

/**
 * A call with a string URL and no body: sent as `fetch(url, init)`, never as a `Request`.
 * A class, so the hot path allocates one object per call and no functions.
 */
class DirectCall implements FetchCall {
  readonly method: string
  readonly signal: AbortSignal | null | undefined
  readonly oneShot = false
  private sent: RequestInit | undefined

  constructor(
    private readonly input: string,
    private readonly init: RequestInit | undefined,
    private readonly absolute: string,
    private readonly headerName: string,
    private readonly transmit: Send,
  ) {
    const method = init?.method ?? 'GET'
    this.method = NORMALIZED.test(method) ? method.toUpperCase() : method
    this.signal = init?.signal
    this.sent = init
  }

  url(): string {
    return new URL(this.absolute).href
  }

  send(authorization: string | null, proof?: string): Promise<Response> {
    const { init } = this
    if (authorization === null) return this.transmit(this.input, init)
    const headers = withHeader(init?.headers, this.headerName, authorization)
    this.sent = { ...init, headers: proof ? withHeader(headers, 'DPoP', proof) : headers }
    return this.transmit(this.input, this.sent)
  }

  request(): Request {
    return new Request(this.input, this.sent)
  }
}

/** A call with a string URL and no body: sent as `fetch(url, init)`, never as a `Request`. */
export const directCall = (
  input: string,
  init: RequestInit | undefined,
  url: string,
  headerName: string,
  send: Send,
): FetchCall => new DirectCall(input, init, url, headerName, send)

/** A call made from a `Request`: a clone goes out each time, so the retry has the body too. */
export function requestCall(
  request: Request,
  oneShot: boolean,
  headerName: string,
  send: Send,
  guard: { isAllowedUrl(url: string): boolean; headerName: string } | null,
): FetchCall {
  return {
    method: request.method,
    signal: request.signal,
    oneShot,
    url: () => request.url,
    send(authorization, proof) {
      // only a body is used up by sending; a request without one can be sent again as is
      const outgoing = oneShot || request.body === null ? request : request.clone()
      if (authorization === null) return send(outgoing)
      outgoing.headers.set(headerName, authorization)
      if (proof) outgoing.headers.set('DPoP', proof)
      if (!guard) return send(outgoing)
      return followRedirects(outgoing, send, guard.isAllowedUrl, guard.headerName)
    },
    request: () => request,
  }
}

/** `headers` with `name` set to `value`, as `Headers.set` would: any other spelling of `name` goes. */
function withHeader(headers: HeadersInit | undefined, name: string, value: string): HeadersInit {
  if (headers === undefined) return { [name]: value }
  const copy = new Headers(headers)
  copy.set(name, value)
  return copy
}
