import { hasErrorName, RetokenError } from './RetokenError'

/**
 * A server kept asking for a new DPoP nonce (`use_dpop_nonce`) after retoken had sent
 * the one it gave: retoken retries once per new nonce and then stops, never loops.
 */
export class DpopNonceError extends RetokenError {
  override name = 'DpopNonceError' as const
  /** The origin that kept asking. */
  readonly origin: string

  constructor(url: string) {
    const { origin } = new URL(url)
    super(`${origin} keeps asking for a new DPoP nonce (use_dpop_nonce): giving up`)
    this.origin = origin
  }
}

/** Tells whether a value is a {@link DpopNonceError}, across realms. */
export function isDpopNonceError(error: unknown): error is DpopNonceError {
  return hasErrorName(error, 'DpopNonceError')
}
