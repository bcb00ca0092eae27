import { InvalidOptionsError } from './errors/InvalidOptionsError'

/** Which origins receive the access token: exact origins, patterns, or a predicate on the URL. */
export type AllowedOrigins = ReadonlyArray<string | RegExp> | ((url: URL) => boolean)

// A stand-in base for resolving relative URLs outside a browser: it cannot collide
// with a real origin, so a relative URL is recognised whatever the environment.
const RELATIVE_BASE = 'http://retoken.relative.invalid'

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
      return url !== null && (url.origin === new URL(RELATIVE_BASE).origin || allowed(url))
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
    if (url.origin === new URL(RELATIVE_BASE).origin) return true
    return origins.has(url.origin) || patterns.some((pattern) => pattern.test(url.origin))
  }
}

function defaultOrigins(baseURL: string | undefined): string[] {
  if (!baseURL) return []
  const url = parse(baseURL)
  // a relative baseURL ("/api") makes every request relative: nothing to add
  return url === null || url.origin === new URL(RELATIVE_BASE).origin ? [] : [url.origin]
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

function parse(fullUrl: string): URL | null {
  try {
    return new URL(fullUrl, RELATIVE_BASE)
  } catch {
    return null
  }
}
