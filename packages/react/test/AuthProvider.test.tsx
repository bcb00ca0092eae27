import { isSessionExpiredError } from '@retoken/core'
import { act, render, screen, waitFor } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { type ReactNode, StrictMode, useState } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { AuthProvider, RequireAuth, useAuth, useAuthState } from '../src/index'
import { createApp, demoCredentials, refreshWithAxios, useMockAuthServer } from './harness'

type User = { id: string; name: string; email: string }

function Status() {
  const { status, user, error } = useAuth<User>()
  return (
    <p>
      <span data-testid="status">{status}</span>
      <span data-testid="user">{user?.name ?? 'nobody'}</span>
      <span data-testid="error">{error?.message ?? ''}</span>
    </p>
  )
}

function LoginButton({ password = demoCredentials.password }: { password?: string }) {
  const { login, logout } = useAuth()
  const [outcome, setOutcome] = useState('')
  return (
    <>
      <button
        type="button"
        onClick={() =>
          login({ ...demoCredentials, password }).then(
            () => setOutcome('ok'),
            (error: Error) => setOutcome(`rejected: ${error.message}`),
          )
        }
      >
        log in
      </button>
      <button type="button" onClick={() => logout()}>
        log out
      </button>
      <span data-testid="outcome">{outcome}</span>
    </>
  )
}

function RefreshButton() {
  const { refresh } = useAuth()
  return (
    <button type="button" onClick={() => refresh()}>
      refresh
    </button>
  )
}

// render counts, measured by the components themselves
const renders = { user: 0, token: 0 }

function UserName() {
  renders.user += 1
  const name = useAuthState((s: { user: User | null }) => s.user?.name ?? 'nobody')
  return <span data-testid="name">{name}</span>
}

function TokenTail() {
  renders.token += 1
  const token = useAuthState((s) => s.accessToken)
  return <span data-testid="token">{token?.slice(-6)}</span>
}

describe('AuthProvider and useAuth', () => {
  const { server } = useMockAuthServer()

  const renderApp = (children: ReactNode, app = createApp()) => {
    render(
      <AuthProvider auth={app.auth} login={app.login} logout={app.logout}>
        {children}
      </AuthProvider>,
    )
    return app
  }

  it('should log in and out, updating every consumer', async () => {
    renderApp(
      <>
        <Status />
        <Status />
        <LoginButton />
      </>,
    )
    await waitFor(() =>
      expect(screen.getAllByTestId('status')[0]).toHaveTextContent('unauthenticated'),
    )
    await userEvent.click(screen.getByText('log in'))
    await waitFor(() => expect(screen.getByTestId('outcome')).toHaveTextContent('ok'))
    for (const status of screen.getAllByTestId('status'))
      expect(status).toHaveTextContent('authenticated')
    for (const user of screen.getAllByTestId('user')) expect(user).toHaveTextContent('Demo User')

    await userEvent.click(screen.getByText('log out'))
    await waitFor(() => {
      for (const status of screen.getAllByTestId('status'))
        expect(status).toHaveTextContent('unauthenticated')
    })
    expect(
      server.auditLog.some((entry) => entry.type === 'revoked' && entry.detail === 'logout'),
    ).toBe(true)
  })

  it('should surface the server message on a wrong password and stay logged out', async () => {
    renderApp(
      <>
        <Status />
        <LoginButton password="wrong" />
      </>,
    )
    await userEvent.click(screen.getByText('log in'))
    await waitFor(() =>
      expect(screen.getByTestId('outcome')).toHaveTextContent(
        'rejected: The email or password is wrong',
      ),
    )
    expect(screen.getByTestId('error')).toHaveTextContent('The email or password is wrong')
    expect(screen.getByTestId('status')).toHaveTextContent('unauthenticated')
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
        <LoginButton />
      </AuthProvider>,
    )
    await userEvent.click(screen.getByText('log in'))
    await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent('authenticated'))
    await userEvent.click(screen.getByText('log out'))
    await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent('unauthenticated'))
    expect(app.auth.getState().accessToken).toBeNull()
  })

  it('should move every consumer to unauthenticated with the reason, once, when a deep call finds the session dead', async () => {
    const app = renderApp(
      <>
        <Status />
        <Status />
        <LoginButton />
      </>,
    )
    await userEvent.click(screen.getByText('log in'))
    await waitFor(() => expect(screen.getByTestId('outcome')).toHaveTextContent('ok'))
    const expired = vi.fn()
    app.auth.on('sessionExpired', expired)
    server.faults.revokeAllSessions()

    const error = await act(() => app.api.get('/api/orders').catch((e: unknown) => e))

    expect(isSessionExpiredError(error)).toBe(true)
    expect(expired).toHaveBeenCalledTimes(1)
    for (const status of screen.getAllByTestId('status'))
      expect(status).toHaveTextContent('unauthenticated')
    for (const message of screen.getAllByTestId('error'))
      expect(message).toHaveTextContent(/log in again/)
  })

  it('should refresh through useAuth().refresh and keep the user', async () => {
    const app = renderApp(
      <>
        <Status />
        <LoginButton />
        <RefreshButton />
      </>,
    )
    await userEvent.click(screen.getByText('log in'))
    await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent('authenticated'))
    const before = app.auth.getState().accessToken
    await userEvent.click(screen.getByText('refresh'))
    await waitFor(() => expect(app.auth.getState().accessToken).not.toBe(before))
    expect(server.counters.refreshCalls).toBe(1)
    expect(screen.getByTestId('user')).toHaveTextContent('Demo User')
  })

  it('should re-render a component that selects only the user zero times on a silent refresh', async () => {
    renders.user = 0
    renders.token = 0
    const app = renderApp(
      <>
        <UserName />
        <TokenTail />
        <LoginButton />
      </>,
    )
    await userEvent.click(screen.getByText('log in'))
    await waitFor(() => expect(screen.getByTestId('name')).toHaveTextContent('Demo User'))
    const userRendersBefore = renders.user
    const tokenRendersBefore = renders.token

    await act(() => app.auth.refresh())

    expect(renders.user).toBe(userRendersBefore)
    expect(renders.token).toBeGreaterThan(tokenRendersBefore)
  })

  it('should throw a clear error outside the provider', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => render(<Status />)).toThrow(/useAuth must be used inside <AuthProvider>/)
    spy.mockRestore()
  })
})

describe('restoring a session', () => {
  const { server } = useMockAuthServer()

  it('should call the silent refresh exactly once under StrictMode', async () => {
    const app = createApp()
    const tokens = await server.issueTokens()
    // the refresh token lives in an HttpOnly cookie: the app never sees it
    const silent = vi.fn(async () => ({ accessToken: tokens.accessToken, expiresIn: 60 }))
    const auth = (await import('@retoken/core')).createAuth({ refresh: silent })
    render(
      <StrictMode>
        <AuthProvider auth={auth} restore="refresh" login={app.login}>
          <RequireAuth restoring={<p>restoring…</p>} fallback={<p>please log in</p>}>
            <Status />
          </RequireAuth>
        </AuthProvider>
      </StrictMode>,
    )
    expect(screen.getByText('restoring…')).toBeInTheDocument()
    await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent('authenticated'))
    expect(silent).toHaveBeenCalledTimes(1)
    expect(silent).toHaveBeenCalledWith(expect.objectContaining({ refreshToken: null }))
  })

  it('should show the fallback, not an error, when there is no session to restore', async () => {
    const app = createApp()
    render(
      <AuthProvider auth={app.auth} restore="refresh" login={app.login}>
        <RequireAuth restoring={<p>restoring…</p>} fallback={<p>please log in</p>}>
          <p>secret</p>
        </RequireAuth>
        <Status />
      </AuthProvider>,
    )
    await waitFor(() => expect(screen.getByText('please log in')).toBeInTheDocument())
    expect(screen.getByTestId('error')).toHaveTextContent('')
  })

  it('should resume from storage and renew a token that expired meanwhile', async () => {
    const { memoryStorage, createAuth } = await import('@retoken/core')
    const storage = memoryStorage()
    const first = createAuth({ refresh: refreshWithAxios, storage })
    await first.setTokens(await server.issueTokens())
    const app = createApp({ storage })
    render(
      <AuthProvider auth={app.auth}>
        <Status />
      </AuthProvider>,
    )
    expect(screen.getByTestId('status')).toHaveTextContent('restoring')
    await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent('authenticated'))
  })

  it('should leave no listeners or timers behind after unmount', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
    try {
      const app = createApp()
      let active = 0
      const counted =
        <A extends unknown[]>(subscribe: (...args: A) => () => void) =>
        (...args: A) => {
          active += 1
          const off = subscribe(...args)
          return () => {
            active -= 1
            off()
          }
        }
      app.auth.subscribe = counted(app.auth.subscribe)
      app.auth.on = counted(app.auth.on) as typeof app.auth.on
      const { unmount } = render(
        <AuthProvider auth={app.auth} restore="none">
          <Status />
          <RequireAuth>
            <p>secret</p>
          </RequireAuth>
        </AuthProvider>,
      )
      expect(active).toBeGreaterThan(0)
      unmount()
      expect(active).toBe(0)
      expect(vi.getTimerCount()).toBe(0)
    } finally {
      vi.useRealTimers()
    }
  })
})
