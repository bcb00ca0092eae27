import { afterEach, describe, expect, it, vi } from 'vitest'
import { createAuth } from '../src/index'
import { unsignedJwt } from './jwt'

describe('the default clock', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('should follow fake timers installed after createAuth', async () => {
    // apps create `auth` at module load, long before a test fakes the clock
    const auth = createAuth({ refresh: async () => ({ accessToken: 'x' }) })
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) })
    const iat = Math.floor(Date.now() / 1000)
    await auth.setTokens({ accessToken: unsignedJwt({ iat, exp: iat + 60 }) })
    expect(auth.getState().expiresAt).toBe((iat + 60) * 1000)
  })
})
