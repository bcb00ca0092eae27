import type { AllowedOrigins } from '../engine/originPolicy'
import { InvalidOptionsError } from '../errors/InvalidOptionsError'

/** The options every transport takes: where the token goes, how it travels, what refuses it. */
export interface TransportOptions {
  /**
   * Origins that receive the access token, besides relative URLs (always allowed).
   * @example allowedOrigins: ['https://api.example.com', /^https:\/\/[a-z]+\.example\.com$/]
   */
  allowedOrigins?: AllowedOrigins
  /**
   * The header that carries the token.
   * @default 'Authorization'
   */
  headerName?: string
  /**
   * Put before the token with a space; `''` sends the bare token.
   * @default 'Bearer'
   */
  scheme?: string
  /**
   * Response statuses that mean "the access token was refused: refresh and retry".
   * @default [401]
   */
  refreshOn?: readonly number[]
}

/** Transport options checked, with defaults applied. */
export interface ResolvedTransportOptions {
  headerName: string
  /** The scheme and its space, or `''`: put before the token. */
  prefix: string
  refreshOn: readonly number[]
}

/** Checks the options every transport shares; throws an `InvalidOptionsError` naming the first bad one. */
export function resolveTransportOptions(
  options: TransportOptions & { shouldRefresh?: unknown },
): ResolvedTransportOptions {
  const { headerName = 'Authorization', scheme = 'Bearer', refreshOn = [401] } = options
  const fail = (option: string, problem: string) => {
    throw new InvalidOptionsError(option, problem)
  }
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
  return { headerName, prefix: scheme ? `${scheme} ` : '', refreshOn }
}
