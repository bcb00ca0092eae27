import { checkTransportOptions } from '#dev'
import type { AllowedOrigins } from '../engine/originPolicy'

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

/** Applies the defaults; in development, first checks every option ({@link checkTransportOptions}). */
export function resolveTransportOptions(
  options: TransportOptions & { shouldRefresh?: unknown },
): ResolvedTransportOptions {
  checkTransportOptions(options)
  const { headerName = 'Authorization', scheme = 'Bearer', refreshOn = [401] } = options
  return { headerName, prefix: scheme ? `${scheme} ` : '', refreshOn }
}
