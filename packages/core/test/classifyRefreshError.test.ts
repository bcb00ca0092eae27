import { AxiosError, AxiosHeaders } from 'axios'
import { describe, expect, it } from 'vitest'
import { isFatalRefreshError } from '../src/engine/classifyRefreshError'

const httpError = (status: number, data?: unknown) =>
  new AxiosError('failed', 'ERR_BAD_RESPONSE', undefined, undefined, {
    status,
    statusText: '',
    data,
    headers: {},
    config: { headers: new AxiosHeaders() },
  })

describe('isFatalRefreshError', () => {
  it.each([400, 401, 403])('should end the session on %i', (status) => {
    expect(isFatalRefreshError(httpError(status))).toBe(true)
  })

  it('should end the session on an invalid_grant body whatever the status', () => {
    expect(isFatalRefreshError(httpError(500, { error: 'invalid_grant' }))).toBe(true)
  })

  it.each([429, 500, 502, 503])('should keep the session on %i', (status) => {
    expect(isFatalRefreshError(httpError(status, '<html>Bad gateway</html>'))).toBe(false)
  })

  it('should keep the session on network errors, timeouts and unknown throws', () => {
    expect(isFatalRefreshError(new AxiosError('Network Error', 'ERR_NETWORK'))).toBe(false)
    expect(isFatalRefreshError(new AxiosError('timeout', 'ECONNABORTED'))).toBe(false)
    expect(isFatalRefreshError(new Error('boom'))).toBe(false)
    expect(isFatalRefreshError('boom')).toBe(false)
  })

  it('should read `status` from fetch-style errors', () => {
    expect(isFatalRefreshError({ status: 401 })).toBe(true)
    expect(isFatalRefreshError({ response: { status: 503 } })).toBe(false)
  })
})
