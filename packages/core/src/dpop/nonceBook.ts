import { DpopNonceError } from '../errors/DpopNonceError'
import { htuOf } from './proof'
import type { DpopHost, DpopLink, HeaderReader, NonceVerdict } from './types'

const NONCE_CHALLENGE = /(^|,)\s*DPoP\b[\s\S]*error="use_dpop_nonce"/i

/** The nonces of one `auth`, one per origin, and the rule for resending once. */
export interface NonceBook {
  /** The nonce held for the URL's origin. */
  get(url: string): string | undefined
  /** Keeps the answer's `DPoP-Nonce`; on a 401 `use_dpop_nonce` says whether a resend may help. */
  answer(url: string, used: string | undefined, status: number, header: HeaderReader): NonceVerdict
  /** Whether a resend may help: only when the nonce now held is not the one refused. */
  verdict(url: string, used: string | undefined): NonceVerdict
  /** `answer` for a resource; throws `DpopNonceError` rather than resend twice. */
  retryOnNonce: DpopLink['retryOnNonce']
  /** Reports the resend about to go (`dpopNonceRetry`). */
  retrying(url: string, status: number): void
  clear(): void
}

/** Creates the nonce book; its resends are reported on `events`. */
export function createNonceBook(events: DpopHost['events']): NonceBook {
  const nonces = new Map<string, string>()
  const origin = (url: string) => new URL(url).origin
  const book: NonceBook = {
    get: (url) => nonces.get(origin(url)),
    answer(url, used, status, header) {
      const given = header('dpop-nonce')
      if (given) nonces.set(origin(url), given)
      if (status !== 401 || !NONCE_CHALLENGE.test(header('www-authenticate') ?? ''))
        return undefined
      return book.verdict(url, used)
    },
    verdict(url, used) {
      const current = nonces.get(origin(url))
      return current !== undefined && current !== used ? 'retry' : 'refused'
    },
    retryOnNonce(url, used, status, header, alreadyRetried) {
      const next = book.answer(url, used, status, header)
      if (next === undefined) return false
      if (next === 'refused' || alreadyRetried) throw new DpopNonceError(url)
      book.retrying(url, status)
      return true
    },
    retrying(url, status) {
      events.emit('dpopNonceRetry', { url: htuOf(url), status, nonce: book.get(url) as string })
    },
    clear: () => nonces.clear(),
  }
  return book
}
