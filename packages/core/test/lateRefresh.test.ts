import axios from 'axios'
import { describe, expect, it } from 'vitest'
import { type AuthOptions, isRefreshFailedError, memoryStorage } from '../src/index'
import { API, loggedInClient, useMockAuthServer } from './harness'

describe('a refresh that answers after its timeout', () => {
  const { server, clock } = useMockAuthServer({ reuseGraceSeconds: 0 })

  it('should keep the rotated tokens it returns, so the next refresh presents no spent token', async () => {
    // a refresh that ignores its signal: the server rotates at once, the answer
    // reaches retoken only after the timeout
    let release = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const refresh: AuthOptions['refresh'] = async ({ refreshToken }) => {
      const { data } = await axios.post(`${API}/auth/refresh`, { refreshToken })
      await gate
      return data
    }
    const storage = memoryStorage()
    const { api, auth } = await loggedInClient(server, clock, {
      refresh,
      refreshTimeout: 20,
      refreshMargin: 0,
      storage,
    })
    clock.advance(61)
    const first = await auth.refresh().catch((error: unknown) => error)
    expect(isRefreshFailedError(first)).toBe(true)
    release()
    await new Promise((resolve) => setTimeout(resolve, 20))

    await expect(api.get('/api/echo')).resolves.toMatchObject({ status: 200 })
    expect(server.counters.refreshCalls).toBe(1)
    expect(server.counters.reuseDetections).toBe(0)
    expect(auth.getState().status).toBe('authenticated')
  })
})
