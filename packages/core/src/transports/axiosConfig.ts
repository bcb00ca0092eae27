// The one place retoken extends Axios' types.
import type {} from 'axios'
import type { RequestSummary } from '../engine/types'

/** retoken's bookkeeping on a request config (internal: do not set it yourself). */
export interface RetokenRequestMarker {
  /** Which access token (by generation) went out with this request; absent if none did. */
  tokenGeneration?: number
  /** Set on the one retry a request gets after a refresh: a retried request is never retried again. */
  retried?: boolean
  /** Marks the refresh call itself: a 401 from it must never start another refresh. */
  isRefreshCall?: boolean
  /** What events say about this request; its retry shares it. */
  request?: RequestSummary
  /** Set when the request carried a DPoP proof: the URL it was for, and the nonce it held. */
  dpopUrl?: string
  dpopNonce?: string | undefined
  /** Set on the one resend after a `use_dpop_nonce` answer, a budget apart from `retried`. */
  nonceRetried?: boolean
}

declare module 'axios' {
  interface AxiosRequestConfig {
    /**
     * Send this request without the access token, and never refresh or retry on its failure.
     * @default false
     * @example api.post('/auth/login', credentials, { skipAuth: true })
     */
    skipAuth?: boolean | undefined
    /**
     * retoken's per-request bookkeeping. A config property rather than object
     * identity, because Axios' `mergeConfig` copies every request's config into a
     * new object.
     * @internal
     */
    _retoken?: RetokenRequestMarker | undefined
  }
}
