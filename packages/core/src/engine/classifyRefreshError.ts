/**
 * The default answer to "does this refresh failure end the session?". The server
 * saying no (400, 401, 403, or an OAuth `invalid_grant` body whatever the status)
 * is final. Everything else (no response, timeout, 5xx, 429, a garbled body) may
 * pass, so the session is kept for the next attempt.
 */
export function isFatalRefreshError(error: unknown): boolean {
  const response = readResponse(error)
  if (!response) return false
  const body = response.data
  if (typeof body === 'object' && body !== null && 'error' in body) {
    if ((body as { error: unknown }).error === 'invalid_grant') return true
  }
  return response.status === 400 || response.status === 401 || response.status === 403
}

interface ResponseLike {
  status: number
  data?: unknown
}

// Axios errors carry `response`; fetch-based refresh functions often throw
// something with `status` (ky's HTTPError carries `response` too).
function readResponse(error: unknown): ResponseLike | null {
  if (typeof error !== 'object' || error === null) return null
  const { response, status } = error as { response?: unknown; status?: unknown }
  if (typeof response === 'object' && response !== null) {
    const responseStatus = (response as { status?: unknown }).status
    if (typeof responseStatus === 'number') return response as ResponseLike
  }
  return typeof status === 'number' ? { status } : null
}
