import type { Engine } from '../engine/engine'
import { isRequestCanceled } from '../engine/requestQueue'
import type { Session } from '../engine/session'
import type { RequestSummary } from '../engine/types'
import { BodyNotReplayableError } from '../errors/BodyNotReplayableError'
import type { FetchCall } from './fetchCall'

/** What the retry loop needs from `createFetch`'s options, resolved. */
export interface FetchRetryOptions {
  prefix: string
  refreshOn: readonly number[]
  isAllowedUrl(url: string): boolean
  shouldRefresh: ((response: Response, request: Request) => boolean) | undefined
}

/**
 * The fetch transport's retry-once rule: one refresh per refused token, one retry per
 * call. Returns what runs one call. A call with a token ready goes out at once, with no
 * await before it is sent; the functions are made once, not per call, since this is
 * the hot path.
 */
export function createFetchRetry(
  engine: Engine,
  { prefix, refreshOn, isAllowedUrl, shouldRefresh }: FetchRetryOptions,
): (call: FetchCall) => Promise<Response> {
  const { events } = engine
  const summaries = new WeakMap<FetchCall, RequestSummary>()

  const describe = (call: FetchCall): RequestSummary => {
    let summary = summaries.get(call)
    if (!summary) {
      summary = { id: engine.nextId(), method: call.method, url: call.url() }
      summaries.set(call, summary)
    }
    return summary
  }

  const finished = (call: FetchCall, status: number | null) => {
    if (!events.has('requestFinished')) return
    events.emit('requestFinished', {
      request: describe(call),
      status,
      ok: status !== null && status < 400,
    })
  }

  const attempt = (call: FetchCall, retry: boolean, nonceRetried?: boolean): Promise<Response> => {
    const session = engine.ready()
    if (session !== undefined) return sendWith(call, session, retry, nonceRetried)
    return engine.sessionFor(call.signal ?? undefined, describe(call)).then(
      (ready) => sendWith(call, ready, retry, nonceRetried),
      (error: unknown) => asFetchError(call, error),
    )
  }

  const sendWith = (
    call: FetchCall,
    session: Session | null,
    retry: boolean,
    nonceRetried?: boolean,
  ): Promise<Response> => {
    if (!session) return call.send(null)
    const dpop = session.tokenType && engine.dpop
    if (!dpop) return sendAuthorized(call, prefix + session.accessToken, retry)
    const url = call.url()
    return dpop.sign(call.method, url, session.accessToken).then(({ proof, nonce }) =>
      sendAuthorized(call, `DPoP ${session.accessToken}`, retry, proof, (response) => {
        // a new nonce is a resend of its own, apart from the refresh-and-retry rule
        const { status, headers } = response
        if (!dpop.retryOnNonce(url, nonce, status, (n) => headers.get(n), nonceRetried)) return
        void response.body?.cancel().catch(() => {})
        return attempt(call, retry, true)
      }),
    )
  }

  const sendAuthorized = (
    call: FetchCall,
    authorization: string,
    retry: boolean,
    proof?: string,
    resendOnNonce?: (response: Response) => Promise<Response> | undefined,
  ): Promise<Response> => {
    const sent = engine.generation()
    if (events.has('requestStarted'))
      events.emit('requestStarted', { request: describe(call), retry })
    return sendOnce(call, authorization, proof).then(
      (response) => {
        finished(call, response.status)
        const resent = resendOnNonce?.(response)
        if (resent) return resent
        if (retry || !refreshOn.includes(response.status)) return response
        return refused(call, response, sent)
      },
      (error: unknown) => {
        finished(call, null)
        throw error
      },
    )
  }

  const refused = async (call: FetchCall, response: Response, sent: number) => {
    // a refusal from a foreign host the request was redirected to says nothing of our token
    if (response.redirected && !isAllowedUrl(response.url)) return response
    if (shouldRefresh && !shouldRefresh(response, call.request())) return response
    const retry = await engine
      .afterRefusal(sent, call.signal ?? undefined, describe(call))
      .catch((error: unknown) => asFetchError(call, error))
    if (!retry) return response
    if (call.oneShot) throw new BodyNotReplayableError(response)
    // the refused response's body is never read: release its connection
    void response.body?.cancel().catch(() => {})
    events.emit('requestRetried', { request: describe(call) })
    return attempt(call, true)
  }

  return (call) => attempt(call, false)
}

// like fetch: an abort rejects with the signal's reason, a logout with an AbortError
const asFetchError = (call: FetchCall, error: unknown): never => {
  if (!isRequestCanceled(error)) throw error
  if (call.signal?.aborted) throw call.signal.reason
  throw new DOMException((error as Error).message, 'AbortError')
}

/** Sends one attempt; a send that throws at once becomes a rejection. */
const sendOnce = (call: FetchCall, authorization: string, proof?: string): Promise<Response> => {
  try {
    return call.send(authorization, proof)
  } catch (error) {
    // a wrapped fetch that throws at once fails the call as a rejected fetch would
    return Promise.reject(error)
  }
}
