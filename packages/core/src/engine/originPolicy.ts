/** Which origins receive the access token: exact origins, patterns, or a predicate on the URL. */
export type AllowedOrigins = ReadonlyArray<string | RegExp> | ((url: URL) => boolean)

// What the URL parser drops or ignores before it reads a URL: a relative-looking
// "/\t/evil.example" is protocol-relative once the tab is gone.
const NEEDS_CLEANING = /[\t\n\r]|^[\0- ]|[\0- ]$/
const CLEANED = /^[\0- ]+|[\0- ]+$|[\t\n\r]/g
// A scheme, or two slashes in any direction (the parser reads "\\" and "/\" as "//").
const NOT_RELATIVE = /^(?:[a-z][a-z\d+\-.]*:|[\\/]{2})/i
// Scheme and authority: everything up to the first character that ends a host.
const AUTHORITY = /^[a-z][a-z\d+\-.]*:[\\/]*[^\\/?#]*/i
const CACHE_SIZE = 64

/**
 * Decides whether a request may carry the access token. By default only relative
 * URLs and the instance's `baseURL` origin qualify; protocol-relative `//host`
 * URLs and look-alike hosts never do, because origins are compared exactly after
 * URL parsing, never by prefix. A URL is relative only when the URL parser would
 * read it so: nothing real is resolved against a stand-in origin.
 *
 * Decisions are cached per scheme and authority, so a request to an origin seen
 * before costs two regular-expression tests and no URL parsing.
 */
export function createOriginPolicy(
  allowed: AllowedOrigins | undefined,
  baseURL: string | undefined,
): (fullUrl: string) => boolean {
  const decide =
    typeof allowed === 'function' ? allowed : listPolicy(allowed ?? defaultOrigins(baseURL))
  const cache = new Map<string, boolean>()
  return (fullUrl) => {
    const url = NEEDS_CLEANING.test(fullUrl) ? fullUrl.replace(CLEANED, '') : fullUrl
    if (!NOT_RELATIVE.test(url)) return true
    if (typeof allowed === 'function') {
      const parsed = parse(url)
      return parsed !== null && decide(parsed)
    }
    const key = AUTHORITY.exec(url)?.[0] ?? url
    let verdict = cache.get(key)
    if (verdict === undefined) {
      const parsed = parse(url)
      verdict = parsed !== null && decide(parsed)
      if (cache.size >= CACHE_SIZE) cache.clear()
      cache.set(key, verdict)
    }
    return verdict
  }
}

function listPolicy(entries: ReadonlyArray<string | RegExp>): (url: URL) => boolean {
  const origins = new Set<string>()
  const patterns: RegExp[] = []
  for (const entry of entries) {
    if (entry instanceof RegExp) patterns.push(entry)
    else {
      const origin = originOf(entry)
      if (origin) origins.add(origin)
    }
  }
  return ({ origin }) =>
    origin !== 'null' && (origins.has(origin) || patterns.some((pattern) => pattern.test(origin)))
}

function defaultOrigins(baseURL: string | undefined): string[] {
  // a relative baseURL ("/api") makes every request relative: nothing to add
  const url = baseURL && NOT_RELATIVE.test(baseURL.trim()) ? parse(baseURL.trim()) : null
  return url && url.origin !== 'null' ? [url.origin] : []
}

// Development checked every entry (checkTransportOptions): one that is not an
// absolute origin matches nothing, so the token goes nowhere it was not meant to.
function originOf(entry: string): string | undefined {
  const origin = parse(entry)?.origin
  return origin === 'null' ? undefined : origin
}

function parse(url: string): URL | null {
  try {
    return new URL(url)
  } catch {
    return null
  }
}
