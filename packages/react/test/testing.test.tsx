import { render, screen } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { RequireAuth, useAuth, useAuthState } from '../src/index'
import { createTestAuth, createTestToken, TestAuthProvider } from '../src/testing/index'

function Profile() {
  const { user, logout } = useAuth<{ name: string }>()
  const role = useAuthState((s) => s.claims?.role)
  return (
    <div>
      <p>
        {user?.name} ({String(role)})
      </p>
      <button type="button" onClick={() => logout()}>
        log out
      </button>
    </div>
  )
}

function LoginPage() {
  const { login } = useAuth()
  return (
    <button type="button" onClick={() => login({})}>
      log in
    </button>
  )
}

describe('@retoken/react/testing', () => {
  it('should render a component as logged in with the given user and claims, no server', () => {
    render(
      <TestAuthProvider user={{ name: 'Ada' }} claims={{ sub: 'u1', role: 'admin' }}>
        <Profile />
      </TestAuthProvider>,
    )
    expect(screen.getByText('Ada (admin)')).toBeInTheDocument()
  })

  it('should render a component as logged out', () => {
    render(
      <TestAuthProvider authenticated={false}>
        <RequireAuth fallback={<p>please log in</p>}>
          <Profile />
        </RequireAuth>
      </TestAuthProvider>,
    )
    expect(screen.getByText('please log in')).toBeInTheDocument()
  })

  it('should let a test drive the session through its own test auth', async () => {
    const auth = createTestAuth({ claims: { sub: 'u1', role: 'viewer' } })
    render(
      <TestAuthProvider auth={auth} user={{ name: 'Grace' }}>
        <RequireAuth fallback={<p>please log in</p>}>
          <Profile />
        </RequireAuth>
      </TestAuthProvider>,
    )
    expect(screen.getByText('Grace (viewer)')).toBeInTheDocument()
    await userEvent.click(screen.getByText('log out'))
    expect(await screen.findByText('please log in')).toBeInTheDocument()
    expect(auth.getState().status).toBe('unauthenticated')
  })

  it('should log in through useAuth().login with a new test token', async () => {
    render(
      <TestAuthProvider authenticated={false} user={{ name: 'Ada' }}>
        <RequireAuth fallback={<LoginPage />}>
          <Profile />
        </RequireAuth>
      </TestAuthProvider>,
    )

    await userEvent.click(screen.getByText('log in'))

    expect(await screen.findByText('Ada (undefined)')).toBeInTheDocument()
  })

  it('should build tokens the core decodes to the claims chosen', () => {
    const auth = createTestAuth({ claims: { sub: 'u7', role: 'admin' }, expiresIn: 60 })
    const { claims, expiresAt } = auth.getState()
    expect(claims).toMatchObject({ sub: 'u7', role: 'admin' })
    expect(expiresAt).toBeGreaterThan(Date.now() + 55_000)
    expect(createTestToken().split('.')).toHaveLength(3)
  })

  it('should say so when the core refuses the test token', () => {
    expect(() => createTestAuth({ claims: { exp: Number.NaN } })).toThrow(
      'createTestAuth: the core refused',
    )
  })
})
