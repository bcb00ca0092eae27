import { describe, expect, it } from 'vitest'
import type { RefreshContext } from '../src/index'
import { loggedInClient, refreshWithAxios, useMockAuthServer } from './harness'

describe('a refresh result without a refresh token', () => {
  // without rotation the server answers with an access token only
  const { server, clock } = useMockAuthServer({ rotation: false })

  it('should keep the current refresh token for the next refresh', async () => {
    const presented: Array<string | null> = []
    const refresh = (context: RefreshContext) => {
      presented.push(context.refreshToken)
      return refreshWithAxios(context)
    }
    const { auth } = await loggedInClient(server, clock, { refresh })
    const first = await auth.refresh()
    const second = await auth.refresh()
    expect(second).not.toBe(first)
    expect(presented).toHaveLength(2)
    expect(presented[0]).toEqual(expect.any(String))
    expect(presented[1]).toBe(presented[0])
    expect(server.counters.refreshCalls).toBe(2)
  })
})
