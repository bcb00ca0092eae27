import { InvalidOptionsError } from './errors/InvalidOptionsError'

/** Which origins receive the access token: exact origins, patterns, or a predicate on the URL. */
export type AllowedOrigins = ReadonlyArray<string | RegExp> | ((url: URL) => boolean)

/** A URL with no origin of its own: it goes wherever the client's base points. */
const RELATIVE = 'relative' as const

/**
 * Decides whether a request may carry the access token. By default only relative
 * URLs and the instance's `baseURL` origin qualify; protocol-relative `//host`
 * URLs and look-alike hosts never do, because origins are compared exactly after
 * URL parsing, never by prefix.
 */
export function createOriginPolicy(
  allowed: AllowedOrigins | undefined,
  baseURL: string | undefined,
): (fullUrl: string) => boolean {
  if (typeof allowed === 'function') {
    return (fullUrl) => {
      const url = parse(fullUrl)
      return url === RELATIVE || (url !== null && allowed(url))
    }
  }
  const origins = new Set<string>()
  const patterns: RegExp[] = []
  for (const entry of allowed ?? defaultOrigins(baseURL)) {
    if (entry instanceof RegExp) patterns.push(entry)
    else origins.add(originOf(entry))
  }
  return (fullUrl) => {
    const url = parse(fullUrl)
    if (url === null) return false
    if (url === RELATIVE) return true
    return origins.has(url.origin) || patterns.some((pattern) => pattern.test(url.origin))
  }
}

function defaultOrigins(baseURL: string | undefined): string[] {
  if (!baseURL) return []
  const url = parse(baseURL)
  // a relative baseURL ("/api") makes every request relative: nothing to add
  return url === null || url === RELATIVE ? [] : [url.origin]
}

function originOf(entry: string): string {
  try {
    const url = new URL(entry)
    if (url.origin === 'null') throw new Error('opaque origin')
    return url.origin
  } catch {
    throw new InvalidOptionsError(
      'allowedOrigins',
      `"${entry}" is not an absolute origin such as "https://api.example.com"`,
    )
  }
}

/**
 * Tells a relative URL from an absolute one the way the URL parser will read it: it
 * drops tabs and newlines anywhere and controls or spaces in front, and reads `\\`
 * as `/`, so `"/\t/evil.com"` and `"\\\\evil.com"` are protocol-relative, not paths.
 * No real URL is ever taken for a relative one.
 */
function parse(fullUrl: string): URL | typeof RELATIVE | null {
  let cleaned = fullUrl.replace(/[\t\n\r]/g, '')
  let start = 0
  while (start < cleaned.length && cleaned.charCodeAt(start) <= 0x20) start++
  cleaned = cleaned.slice(start)
  try {
    if (/^[a-z][a-z\d+.-]*:/i.test(cleaned)) return new URL(cleaned)
    // protocol-relative: the host is foreign unless allowed
    if (/^[\\/]{2}/.test(cleaned)) return new URL(cleaned, 'https://protocol-relative.invalid')
    return RELATIVE
  } catch {
    return null
  }
}
