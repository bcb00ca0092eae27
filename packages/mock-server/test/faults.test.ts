import { afterEach, describe, expect, it, vi } from 'vitest'
import { demo, getWith, postJson, useAuthServer } from './harness'

// Signing and verifying run on real crypto, so the delay is scheduled a few real
// turns later. Wait for it on setImmediate (not faked), without moving the fake clock.
async function until(condition: () => boolean) {
  for (let turn = 0; turn < 10_000 && !condition(); turn++) {
    await new Promise((resolve) => setImmediate(resolve))
  }
  expect(condition()).toBe(true)
}

const login = async () => (await postJson('/auth/login', demo)).body

describe('fault injection', () => {
  const { server } = useAuthServer()
  afterEach(() => {
    vi.useRealTimers()
  })

  it('should fail the next N refresh calls with 500, then recover', async () => {
    const { refreshToken } = await login()
    server.faults.failNextRefresh(2, 'server-error')
    expect((await postJson('/auth/refresh', { refreshToken })).status).toBe(500)
    expect((await postJson('/auth/refresh', { refreshToken })).status).toBe(500)
    // the failed calls spent nothing: the same token still works
    expect((await postJson('/auth/refresh', { refreshToken })).status).toBe(200)
    expect(server.counters.refreshCalls).toBe(3)
  })

  it('should fail a refresh call with a network error', async () => {
    const { refreshToken } = await login()
    server.faults.failNextRefresh(1, 'network-error')
    await expect(postJson('/auth/refresh', { refreshToken })).rejects.toThrow(TypeError)
  })

  it('should delay a refresh call on the (fake) clock', async () => {
    const { refreshToken } = await login()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    server.faults.failNextRefresh(1, { delayMs: 5_000 })
    let settled = false
    const call = postJson('/auth/refresh', { refreshToken }).then((r) => {
      settled = true
      return r
    })
    await until(() => server.counters.refreshCalls === 1)
    await vi.advanceTimersByTimeAsync(4_999)
    expect(settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect((await call).status).toBe(200)
  })

  it('should add latency to one route', async () => {
    const { accessToken } = await login()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    server.faults.setLatency('GET /api/orders', 1_000)
    let settled = false
    const call = getWith('/api/orders', accessToken).then(() => {
      settled = true
    })
    await until(() => server.counters.requestsByRoute['GET /api/orders'] === 1)
    await vi.advanceTimersByTimeAsync(999)
    expect(settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    await call
    expect(settled).toBe(true)
  })

  it('should revoke every session', async () => {
    const one = await login()
    const two = await login()
    server.faults.revokeAllSessions()
    for (const session of [one, two]) {
      expect((await getWith('/api/orders', session.accessToken)).status).toBe(401)
      expect((await postJson('/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(
        401,
      )
    }
    expect(server.auditLog.filter((entry) => entry.type === 'revoked')).toHaveLength(2)
  })
})

describe('GET /api/slow', () => {
  const { server } = useAuthServer({ slowRouteDelayMs: 2_000 })

  it('should check the token on arrival and answer after the delay', async () => {
    const { accessToken } = await login()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const call = getWith('/api/slow', accessToken)
    await until(() => vi.getTimerCount() > 0)
    await vi.advanceTimersByTimeAsync(2_000)
    expect((await call).body).toEqual({ done: true })
    vi.useRealTimers()
    expect(server.counters.requestsByRoute['GET /api/slow']).toBe(1)
  })
})
