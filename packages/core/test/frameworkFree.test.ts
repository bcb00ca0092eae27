import { describe, expect, it, vi } from 'vitest'

// Fails the import if anything in core reaches for React (zustand guards its split the same way).
vi.mock('react', () => {
  throw new Error('@retoken/core must not import react')
})

describe('@retoken/core', () => {
  it('should load and run without React, window or document', async () => {
    expect(typeof window).toBe('undefined')
    const { createAuth } = await import('../src/index')
    const auth = createAuth({
      refresh: async () => ({ accessToken: 'opaque', expiresIn: 60 }),
      tokenFormat: 'opaque',
    })
    await auth.setTokens({ accessToken: 'opaque', expiresIn: 60 })
    expect(auth.getState().status).toBe('authenticated')
  })
})
