import { isSessionExpiredError } from '@retoken/core'
import { act, render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { AuthProvider, type UseAuthResult, useAuthState } from '../src/index'
import { ExposeAuth, Status } from './components'
import { createApp, demoCredentials, useMockAuthServer } from './harness'

/** Remembers every distinct error the UI was shown, in order. */
function ErrorHistory({ into }: { into: unknown[] }) {
  const error = useAuthState((s) => s.error)
  if (error && !into.includes(error)) into.push(error)
  return null
}

describe('session expiry', () => {
  const { server } = useMockAuthServer()

  it('should move every consumer to unauthenticated with the reason, once, when calls deep in the app find the session revoked', async () => {
    const app = createApp()
    const session: { current: UseAuthResult | null } = { current: null }
    const shown: unknown[] = []
    render(
      <AuthProvider auth={app.auth} login={app.login}>
        <Status />
        <Status />
        <ErrorHistory into={shown} />
        <ExposeAuth into={session} />
      </AuthProvider>,
    )
    await act(() => session.current?.login(demoCredentials))
    server.faults.revokeAllSessions()

    // two components load data at once; both get a 401 and wait for the one refresh
    const failures = await act(() =>
      Promise.all([
        app.api.get('/api/orders').catch((error: unknown) => error),
        app.api.get('/auth/me').catch((error: unknown) => error),
      ]),
    )

    expect(failures.every(isSessionExpiredError)).toBe(true)
    expect(server.counters.refreshCalls).toBe(1)
    expect(screen.getAllByTestId('status').map((s) => s.textContent)).toEqual([
      'unauthenticated',
      'unauthenticated',
    ])
    for (const message of screen.getAllByTestId('error')) {
      expect(message).toHaveTextContent(/log in again/)
    }
    expect(shown).toHaveLength(1)
    expect(isSessionExpiredError(shown[0])).toBe(true)
  })

  it('should clear the reason when the user logs in again', async () => {
    const app = createApp()
    const session: { current: UseAuthResult | null } = { current: null }
    render(
      <AuthProvider auth={app.auth} login={app.login}>
        <Status />
        <ExposeAuth into={session} />
      </AuthProvider>,
    )
    await act(() => session.current?.login(demoCredentials))
    server.faults.revokeAllSessions()
    await act(() => app.api.get('/api/orders').catch(() => {}))
    expect(screen.getByTestId('error')).toHaveTextContent(/log in again/)

    await act(() => session.current?.login(demoCredentials))

    expect(screen.getByTestId('status')).toHaveTextContent(/^authenticated$/)
    expect(screen.getByTestId('error')).toBeEmptyDOMElement()
  })
})
