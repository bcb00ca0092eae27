import { render, screen } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { RequireAuth, useAuth, useAuthState } from '../src/index'
import { createTestAuth, TestAuthProvider } from '../src/testing'

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
})
