import { setupServer } from 'msw/node'
import { describe, expect, it } from 'vitest'
import { createAuthServer } from '../src/index'
import type { SessionPersistence } from '../src/sessions'
import { createTestClock } from '../src/vitest'
import { postJson } from './harness'

describe('session persistence', () => {
  const saved = (): SessionPersistence & { data: string | null } => {
    const box = {
      data: null as string | null,
      load: () => box.data,
      save: (snapshot: string) => {
        box.data = snapshot
      },
    }
    return box
  }

  it('should keep sessions, rotation and revocations across a restart', async () => {
    const clock = createTestClock()
    const persistence = saved()
    const options = { baseUrl: 'http://auth.test', now: clock.now, persistence }
    const before = createAuthServer(options)
    const earlier = await before.issueTokens()
    const revoked = await before.issueTokens()
    before.faults.revokeAllSessions()
    const fresh = await before.issueTokens()

    // a new server instance over the same saved state: a restart
    const after = createAuthServer(options)
    const network = setupServer(...after.handlers)
    network.listen({ onUnhandledRequest: 'error' })
    try {
      expect((await postJson('/auth/refresh', { refreshToken: fresh.refreshToken })).status).toBe(
        200,
      )
      expect((await postJson('/auth/refresh', { refreshToken: revoked.refreshToken })).status).toBe(
        401,
      )
      expect((await postJson('/auth/refresh', { refreshToken: earlier.refreshToken })).status).toBe(
        401,
      )
    } finally {
      network.close()
    }
  })

  it('should start empty when the saved state is unreadable', async () => {
    const persistence = saved()
    persistence.data = '{not json'
    const server = createAuthServer({ baseUrl: 'http://auth.test', persistence })
    await expect(server.issueTokens()).resolves.toMatchObject({ expiresIn: 300 })
  })
})
