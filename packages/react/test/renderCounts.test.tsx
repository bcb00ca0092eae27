import { autoRefresh } from '@retoken/core'
import { createTestClock } from '@retoken/mock-server/vitest'
import { act, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AuthProvider, type UseAuthResult } from '../src/index'
import { ExposeAuth, TokenTail, UserName } from './components'
import { createApp, demoCredentials, useMockAuthServer } from './harness'

describe('render counts', () => {
  const clock = createTestClock()
  const { server } = useMockAuthServer({ now: clock.now })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('should not re-render a component that selects only the user on a background refresh', async () => {
    const userRenders = { count: 0 }
    const tokenRenders = { count: 0 }
    const session: { current: UseAuthResult | null } = { current: null }
    // the renewal timer is fake; the test awaits promises instead of Testing Library's
    // waitFor, which would wait on the fake setTimeout
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const app = createApp({ autoRefresh: autoRefresh(), now: clock.now })
    render(
      <AuthProvider auth={app.auth} login={app.login}>
        <UserName renders={userRenders} />
        <TokenTail renders={tokenRenders} />
        <ExposeAuth into={session} />
      </AuthProvider>,
    )
    await act(() => session.current?.login(demoCredentials))
    expect(screen.getByTestId('name')).toHaveTextContent('Demo User')
    const tokenBefore = screen.getByTestId('token').textContent
    const userRendersBefore = userRenders.count
    const tokenRendersBefore = tokenRenders.count
    const refreshed = new Promise((resolve) => app.auth.on('refreshSucceeded', resolve))

    // the 60 s token is due 12 s before it expires; nobody calls the API meanwhile
    clock.advance(50)
    await act(async () => {
      await vi.advanceTimersByTimeAsync(50_000)
      await refreshed
    })

    expect(server.counters.refreshCalls).toBe(1)
    expect(screen.getByTestId('token').textContent).not.toBe(tokenBefore)
    expect(tokenRenders.count).toBeGreaterThan(tokenRendersBefore)
    expect(userRenders.count).toBe(userRendersBefore)
    expect(screen.getByTestId('name')).toHaveTextContent('Demo User')
    app.auth.destroy()
  })
})
