import type { InternalAxiosRequestConfig } from 'axios'

// What Axios itself counts as absolute (it then ignores `baseURL`): a scheme or `//`.
const AXIOS_ABSOLUTE = /^([a-z][a-z\d+\-.]*:)?\/\//i

/**
 * Whether a request may carry the token. The origin comes from the request itself, never
 * from instance.getUri(), which would merge the already merged config once more: a
 * relative URL goes to baseURL's origin.
 */
export function axiosOriginCheck(
  isAllowedUrl: (url: string) => boolean,
): (config: InternalAxiosRequestConfig) => boolean {
  let lastBase: string | undefined
  let lastVerdict = false
  return (config) => {
    const url = config.url ?? ''
    const base = config.baseURL
    if (!base || (config.allowAbsoluteUrls !== false && AXIOS_ABSOLUTE.test(url))) {
      return isAllowedUrl(url)
    }
    if (base !== lastBase) {
      lastVerdict = isAllowedUrl(base)
      lastBase = base
    }
    return lastVerdict
  }
}

/** The URL a response finally came from: XHR's `responseURL`, or Node's `res.responseUrl`. */
export function responseUrlOf(request: unknown): string | null {
  if (typeof request !== 'object' || request === null) return null
  const xhr = (request as { responseURL?: unknown }).responseURL
  if (typeof xhr === 'string' && xhr) return xhr
  const node = (request as { res?: { responseUrl?: unknown } }).res?.responseUrl
  return typeof node === 'string' && node ? node : null
}

// A browser reports even a relative request's final URL as absolute, on the page's origin.
export function isPageOrigin(url: string): boolean {
  const page = (globalThis as { location?: { origin?: string } }).location?.origin
  try {
    return page !== undefined && new URL(url).origin === page
  } catch {
    return false
  }
}
