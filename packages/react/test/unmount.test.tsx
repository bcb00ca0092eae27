import { createAuth } from '@retoken/core'
import { act, render } from '@testing-library/react'
import { StrictMode } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AuthProvider, RequireAuth } from '../src/index'
import { createTestToken } from '../src/testing/index'
import { Status } from './components'

/** An auth whose `subscribe` and `on` count the listeners still registered. */
function countedAuth() {
  const auth = createAuth({ refresh: async () => ({ accessToken: createTestToken() }) })
  const registered = { count: 0 }
  const counted =
    <A extends unknown[]>(register: (...args: A) => () => void) =>
    (...args: A) => {
      registered.count += 1
      const off = register(...args)
      let removed = false
      return () => {
        if (!removed) registered.count -= 1
        removed = true
        off()
      }
    }
  auth.subscribe = counted(auth.subscribe)
  auth.on = counted(auth.on) as typeof auth.on
  return { auth, registered }
}

describe('unmounting AuthProvider', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('should leave no listeners or timers behind, even with a restore still running', async () => {
    vi.useFakeTimers()
    const { auth, registered } = countedAuth()
    let finishRestore = () => {}
    const restore = () =>
      new Promise<void>((resolve) => {
        finishRestore = resolve
      })
    const errors = vi.spyOn(console, 'error')
    const { unmount } = render(
      <StrictMode>
        <AuthProvider auth={auth} restore={restore}>
          <Status />
          <RequireAuth>
            <p>secret</p>
          </RequireAuth>
        </AuthProvider>
      </StrictMode>,
    )
    expect(registered.count).toBeGreaterThan(0)

    unmount()
    await act(async () => {
      await auth.setTokens({ accessToken: createTestToken() })
      finishRestore()
    })

    expect(registered.count).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
    expect(errors).not.toHaveBeenCalled()
  })
})
