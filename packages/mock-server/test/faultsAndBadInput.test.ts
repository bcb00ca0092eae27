import { afterEach, describe, expect, it, vi } from 'vitest'
import { demo, transports, until, useTransport } from './transport'

// Over a socket, the fetch client has fake-timed timers of its own, so the timer count
// cannot tell when the server starts waiting; a pass-through spy on msw's `delay` can.
const delays = vi.hoisted(() => ({ scheduled: 0 }))
vi.mock('msw', async (importOriginal) => {
  const msw = await importOriginal<typeof import('msw')>()
  return {
    ...msw,
    delay: (...args: Parameters<typeof msw.delay>) => {
      delays.scheduled += 1
      return msw.delay(...args)
    },
  }
})

// Every fault and every kind of bad input, through MSW interception and over a real socket.
describe.each(transports)('fault injection over %s', (transport) => {
  const t = useTransport(transport, { slowRouteDelayMs: 2_000 })
  const login = async () => (await t.postJson('/auth/login', demo)).body
  afterEach(() => {
    vi.useRealTimers()
    delays.scheduled = 0
  })

  /** Starts a call under fake timers and reports whether it has settled. */
  const track = <T>(call: Promise<T>) => {
    const state = { settled: false, result: call.finally(() => (state.settled = true)) }
    return state
  }

  it('should fail the next N refresh calls with a 500 that spends nothing', async () => {
    const { refreshToken } = await login()
    t.server.faults.failNextRefresh(2, 'server-error')
    for (let i = 0; i < 2; i++) {
      const failed = await t.postJson('/auth/refresh', { refreshToken })
      expect(failed).toMatchObject({ status: 500, body: { error: 'server_error' } })
    }
    expect((await t.postJson('/auth/refresh', { refreshToken })).status).toBe(200)
    expect(t.server.counters.refreshCalls).toBe(3)
  })

  it('should fail a refresh call with a network error, then recover', async () => {
    const { refreshToken } = await login()
    t.server.faults.failNextRefresh(1, 'network-error')
    await expect(t.postJson('/auth/refresh', { refreshToken })).rejects.toThrow(TypeError)
    expect((await t.postJson('/auth/refresh', { refreshToken })).status).toBe(200)
  })

  it('should answer a delayed refresh only when the fake clock reaches the delay', async () => {
    const { refreshToken } = await login()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    t.server.faults.failNextRefresh(1, { delayMs: 5_000 })
    const call = track(t.postJson('/auth/refresh', { refreshToken }))
    await until(() => delays.scheduled === 1)
    await vi.advanceTimersByTimeAsync(4_999)
    expect(call.settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect((await call.result).status).toBe(200)
  })

  it('should add latency to every route with "*"', async () => {
    const { accessToken } = await login()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    t.server.faults.setLatency('*', 800)
    const call = track(t.get('/auth/me', accessToken))
    await until(() => delays.scheduled === 1)
    await vi.advanceTimersByTimeAsync(799)
    expect(call.settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect((await call.result).status).toBe(200)
  })

  it('should answer GET /api/slow after its server-side delay', async () => {
    const { accessToken } = await login()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const call = track(t.get('/api/slow', accessToken))
    await until(() => delays.scheduled === 1)
    await vi.advanceTimersByTimeAsync(1_999)
    expect(call.settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect((await call.result).body).toEqual({ done: true })
  })

  it('should revoke every session at once', async () => {
    const sessions = [await login(), await login()]
    t.server.faults.revokeAllSessions()
    for (const { accessToken, refreshToken } of sessions) {
      expect((await t.get('/api/orders', accessToken)).status).toBe(401)
      expect((await t.postJson('/auth/refresh', { refreshToken })).status).toBe(401)
    }
    expect(t.server.auditLog.filter((entry) => entry.type === 'revoked')).toHaveLength(2)
  })
})

describe.each(transports)('bad input over %s', (transport) => {
  const t = useTransport(transport, { maxBodyBytes: 1024 })

  const expectNothingChanged = () => {
    expect(t.server.auditLog).toEqual([])
    expect(t.server.counters.refreshCalls).toBe(0)
    expect(t.server.counters.reuseDetections).toBe(0)
  }

  it.each([
    ['/auth/login', 'a non-JSON body', '{"email":', /not valid JSON/],
    ['/auth/login', 'a missing field', { email: demo.email }, /"password" field is required/],
    ['/auth/login', 'a wrongly typed field', { ...demo, email: ['a'] }, /must be a string/],
    ['/auth/login', 'an oversized body', { ...demo, password: 'x'.repeat(2000) }, /larger than/],
    ['/auth/refresh', 'a non-JSON body', 'not json', /not valid JSON/],
    ['/auth/refresh', 'a missing field', {}, /"refreshToken" field is required/],
    ['/auth/refresh', 'a wrongly typed field', { refreshToken: 1 }, /must be a string/],
    ['/auth/refresh', 'an oversized body', { refreshToken: 'x'.repeat(2000) }, /larger than/],
    ['/auth/logout', 'a non-JSON body', '{', /not valid JSON/],
    ['/auth/logout', 'a wrongly typed field', { refreshToken: false }, /must be a string/],
    ['/oauth/token', 'a JSON body', { grant_type: 'refresh_token' }, /form-urlencoded/],
  ])('should answer %s with %s with a clear 400 and change nothing', async (path, _, body, why) => {
    const { status, body: answer } = await t.postJson(path, body)
    expect(status).toBe(400)
    expect(answer).toEqual({ error: 'invalid_request', error_description: expect.any(String) })
    expect(answer.error_description).toMatch(why)
    expectNothingChanged()
  })

  it('should refuse a form without refresh_token on /oauth/token', async () => {
    const missing = await t.postForm('/oauth/token', { grant_type: 'refresh_token' })
    expect(missing).toMatchObject({ status: 400, body: { error: 'invalid_request' } })
    const oversized = await t.postForm('/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: 'x'.repeat(2000),
    })
    expect(oversized).toMatchObject({ status: 400, body: { error: 'invalid_request' } })
    expectNothingChanged()
  })

  it('should refuse a login body not declared as JSON', async () => {
    const response = await fetch(`${t.base}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify(demo),
    })
    expect(response.status).toBe(400)
    expect((await response.json()).error_description).toMatch(/Content-Type: application\/json/)
    expectNothingChanged()
  })
})
