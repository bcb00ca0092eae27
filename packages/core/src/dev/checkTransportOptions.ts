import { InvalidOptionsError } from '../errors/InvalidOptionsError'
import type { TransportOptions } from '../transports/transportOptions'

/** Checks the options every transport shares; throws an {@link InvalidOptionsError} naming the first bad one. */
export function checkTransportOptions(
  options: TransportOptions & { shouldRefresh?: unknown },
): void {
  const { headerName = 'Authorization', scheme = 'Bearer', refreshOn = [401] } = options
  if (!/^[!#$%&'*+.^_`|~\w-]+$/.test(headerName)) {
    fail('headerName', `"${headerName}" is not a valid header name`)
  }
  if (typeof scheme !== 'string') fail('scheme', 'must be a string')
  if (
    !(
      Array.isArray(refreshOn) && refreshOn.every((s) => Number.isInteger(s) && s >= 400 && s < 600)
    )
  ) {
    fail('refreshOn', 'must be an array of HTTP error statuses (400-599)')
  }
  if (options.shouldRefresh !== undefined && typeof options.shouldRefresh !== 'function') {
    fail('shouldRefresh', 'must be a function')
  }
  const allowed = options.allowedOrigins
  if (Array.isArray(allowed)) {
    for (const entry of allowed) if (typeof entry === 'string') checkOrigin(entry)
  }
}

function checkOrigin(entry: string): void {
  let origin = 'null'
  try {
    origin = new URL(entry).origin
  } catch {}
  if (origin === 'null') {
    fail('allowedOrigins', `"${entry}" is not an absolute origin such as "https://api.example.com"`)
  }
}

function fail(option: string, problem: string): never {
  throw new InvalidOptionsError(option, problem)
}
