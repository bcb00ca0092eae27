import type { InternalAxiosRequestConfig } from 'axios'

// The `#platform` half for Node and every runtime that is not a browser: see docs/decisions/017.

/**
 * Node's Axios adapter follows redirects itself and drops only `Authorization` on a
 * host change; the token, whatever its header, must never follow to a foreign origin.
 * Returns what guards one request, or `null` where XHR runs (it never shows redirects).
 */
export function createRedirectGuard(
  isAllowedUrl: (url: string) => boolean,
  headerName: string,
): ((config: InternalAxiosRequestConfig) => void) | null {
  if (typeof XMLHttpRequest !== 'undefined') return null
  return (config) => {
    const previous = config.beforeRedirect
    config.beforeRedirect = (redirect, response, request) => {
      if (!isAllowedUrl(redirectTarget(redirect))) removeHeader(redirect.headers, headerName)
      previous?.(redirect, response, request)
    }
  }
}

/** Where a redirect followed by Node's adapter goes (follow-redirects' options). */
function redirectTarget(redirect: Record<string, unknown>): string {
  if (typeof redirect.href === 'string') return redirect.href
  const port = redirect.port ? `:${String(redirect.port)}` : ''
  return `${String(redirect.protocol)}//${String(redirect.hostname ?? redirect.host)}${port}${String(redirect.path ?? '/')}`
}

function removeHeader(headers: unknown, name: string): void {
  if (typeof headers !== 'object' || headers === null) return
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === name.toLowerCase()) delete (headers as Record<string, unknown>)[key]
  }
}
