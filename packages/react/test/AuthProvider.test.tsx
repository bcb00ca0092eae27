import { render, screen, waitFor } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { build } from '#dev'
import { AuthProvider, useAuth } from '../src/index'
import { LoginButtons, Status, type User } from './components'
import { createApp, useMockAuthServer, withoutRenderErrorLogs } from './harness'

const statuses = () => screen.getAllByTestId('status').map((element) => element.textContent)
const users = () => screen.getAllByTestId('user').map((element) => element.textContent)

/** Records the user of every authenticated render. */
function UserLog({ into }: { into: unknown[] }) {
  const { status, user } = useAuth<User>()
  if (status === 'authenticated') into.push(user)
  return null
}

describe('AuthProvider', () => {
  const { server } = useMockAuthServer()

  const renderApp = (app = createApp()) => {
    render(
      <AuthProvider auth={app.auth} login={app.login} logout={app.logout}>
        <Status />
        <Status />
        <LoginButtons />
      </AuthProvider>,
    )
    return app
  }

  it('should log in and out, updating every consumer', async () => {
    renderApp()
    await waitFor(() => expect(statuses()).toEqual(['unauthenticated', 'unauthenticated']))

    await userEvent.click(screen.getByText('log in'))

    await waitFor(() => expect(screen.getByTestId('outcome')).toHaveTextContent('ok'))
    expect(statuses()).toEqual(['authenticated', 'authenticated'])
    expect(users()).toEqual(['Demo User', 'Demo User'])

    await userEvent.click(screen.getByText('log out'))

    await waitFor(() => expect(statuses()).toEqual(['unauthenticated', 'unauthenticated']))
    expect(users()).toEqual(['nobody', 'nobody'])
    expect(server.auditLog.some((entry) => entry.type === 'revoked')).toBe(true)
  })

  it('should show the user the login returned from the first authenticated render', async () => {
    const app = createApp()
    const seen: unknown[] = []
    render(
      <AuthProvider auth={app.auth} login={app.login}>
        <UserLog into={seen} />
        <LoginButtons />
      </AuthProvider>,
    )

    await userEvent.click(screen.getByText('log in'))

    await waitFor(() => expect(screen.getByTestId('outcome')).toHaveTextContent('ok'))
    expect(seen.length).toBeGreaterThan(0)
    // the claims have `sub`; only the login result's user has `id`
    for (const user of seen) expect(user).toMatchObject({ id: 'user_demo', name: 'Demo User' })
  })

  it('should surface the server message on a wrong password and stay logged out', async () => {
    const app = createApp()
    render(
      <AuthProvider auth={app.auth} login={app.login}>
        <Status />
        <LoginButtons password="wrong" />
      </AuthProvider>,
    )

    await userEvent.click(screen.getByText('log in'))

    await waitFor(() =>
      expect(screen.getByTestId('outcome')).toHaveTextContent(
        'rejected: The email or password is wrong',
      ),
    )
    expect(screen.getByTestId('error')).toHaveTextContent('The email or password is wrong')
    expect(screen.getByTestId('status')).toHaveTextContent(/^unauthenticated$/)
  })

  it('should clear the local session even when the server logout fails', async () => {
    const app = createApp()
    render(
      <AuthProvider
        auth={app.auth}
        login={app.login}
        logout={() => Promise.reject(new Error('offline'))}
      >
        <Status />
        <LoginButtons />
      </AuthProvider>,
    )
    await userEvent.click(screen.getByText('log in'))
    await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent(/^authenticated$/))

    await userEvent.click(screen.getByText('log out'))

    await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent(/^unauthenticated$/))
    expect(screen.getByTestId('error')).toBeEmptyDOMElement()
    expect(app.auth.getState().accessToken).toBeNull()
  })

  it('should refresh through useAuth().refresh, keeping every consumer logged in as the same user', async () => {
    const app = renderApp()
    await userEvent.click(screen.getByText('log in'))
    await waitFor(() => expect(statuses()).toEqual(['authenticated', 'authenticated']))
    const before = app.auth.getState().accessToken

    await userEvent.click(screen.getByText('refresh'))

    await waitFor(() => expect(app.auth.getState().accessToken).not.toBe(before))
    expect(server.counters.refreshCalls).toBe(1)
    expect(statuses()).toEqual(['authenticated', 'authenticated'])
    expect(users()).toEqual(['Demo User', 'Demo User'])
  })

  it('should use the latest login prop, not the one it mounted with', async () => {
    const app = createApp()
    const first = vi.fn(app.login)
    const second = vi.fn(app.login)
    const tree = (login: typeof app.login) => (
      <AuthProvider auth={app.auth} login={login}>
        <Status />
        <LoginButtons />
      </AuthProvider>
    )
    const { rerender } = render(tree(first))
    rerender(tree(second))

    await userEvent.click(screen.getByText('log in'))

    await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent(/^authenticated$/))
    expect(first).not.toHaveBeenCalled()
    expect(second).toHaveBeenCalledTimes(1)
  })

  it('should follow a new auth object', async () => {
    const loggedIn = createApp()
    await loggedIn.auth.setTokens(await server.issueTokens())
    const tree = (app: ReturnType<typeof createApp>) => (
      <AuthProvider auth={app.auth} restore="none">
        <Status />
      </AuthProvider>
    )
    const { rerender } = render(tree(createApp()))
    expect(screen.getByTestId('status')).toHaveTextContent(/^unauthenticated$/)

    rerender(tree(loggedIn))

    expect(screen.getByTestId('status')).toHaveTextContent(/^authenticated$/)
  })

  it('should throw an error naming the provider when useAuth is used outside one', () => {
    expect(() => withoutRenderErrorLogs(() => render(<Status />))).toThrow(
      build === 'development'
        ? 'useAuth must be used inside <AuthProvider>: wrap your app in <AuthProvider auth={auth}>'
        : 'no-provider',
    )
  })
})
