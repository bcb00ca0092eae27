/**
 * The options of retoken's error constructors: the standard `cause`, declared here so
 * the public types need no `lib` newer than ES2020 (where `ErrorOptions` is missing).
 */
export type RetokenErrorOptions = { cause?: unknown }

/** Base class of every error retoken throws; `name` survives across realms where `instanceof` does not. */
export class RetokenError extends Error {
  override name: string = 'RetokenError'
}

/** Checks by `name`, because `instanceof` fails across realms (iframes, duplicated bundles). */
export function hasErrorName(error: unknown, name: string): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === name
}

/** Tells whether a value is any error thrown by retoken. */
export function isRetokenError(error: unknown): error is RetokenError {
  if (typeof error !== 'object' || error === null) return false
  const name = (error as { name?: unknown }).name
  return typeof name === 'string' && RETOKEN_ERROR_NAMES.has(name)
}

const RETOKEN_ERROR_NAMES = new Set([
  'RetokenError',
  'SessionExpiredError',
  'RefreshFailedError',
  'InvalidTokenError',
  'InvalidOptionsError',
  'BodyNotReplayableError',
  'OAuthError',
  'DpopNonceError',
])
