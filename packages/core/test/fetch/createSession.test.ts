import { describe, expect, it } from 'vitest'
import { createFetch, createSession, isInvalidOptionsError } from '../../src/index'
import { useMockAuthServer } from '../harness'
import { API, expireOnServer, refreshWithFetch } from './fetchHarness'

describe('createSession: a fetch user without the Axios transport', () => {
  const { server, clock } = useMockAuthServer()

  it('should refresh once for a burst of 401s and retry every request once', async () => {
    const session = createSession({ refresh: refreshWithFetch, now: clock.now, refreshMargin: 0 })
    const authFetch = createFetch(session, { allowedOrigins: [API] })
    await session.setTokens(await server.issueTokens())
    expireOnServer(server)

    const statuses = await Promise.all(
      Array.from({ length: 5 }, () => authFetch(`${API}/api/orders`).then((r) => r.status)),
    )

    expect(statuses).toEqual([200, 200, 200, 200, 200])
    expect(server.counters.refreshCalls).toBe(1)
    expect(server.counters.reuseDetections).toBe(0)
    expect(server.counters.requestsByRoute['GET /api/orders']).toBe(10)
    expect(session.getState().status).toBe('authenticated')
  })

  it('should have every session control and no attach()', () => {
    const session = createSession({ refresh: refreshWithFetch })
    expect('attach' in session).toBe(false)
    expect(typeof session.getAccessToken).toBe('function')
    session.destroy()
  })

  it('should refuse an object that no createAuth() or createSession() returned', () => {
    const copy = { ...createSession({ refresh: refreshWithFetch }) }
    let thrown: unknown
    try {
      createFetch(copy, { allowedOrigins: [API] })
    } catch (error) {
      thrown = error
    }
    expect(isInvalidOptionsError(thrown)).toBe(true)
  })
})
