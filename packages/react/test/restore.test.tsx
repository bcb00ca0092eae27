import { type AccessTokenClaims, createAuth, memoryStorage } from '@retoken/core'
import { createTestClock } from '@retoken/mock-server/vitest'
import { render, screen, waitFor } from '@testing-library/react'
import axios from 'axios'
import { StrictMode } from 'react'
import { describe, expect, it } from 'vitest'
import { AuthProvider, RequireAuth } from '../src/index'
import { Status, type User } from './components'
import { API, createApp, demoCredentials, refreshWithAxios, useMockAuthServer } from './harness'

// the refresh token is an HttpOnly cookie: the app sends credentials and never sees it
const silentRefresh = async ({ signal }: { signal: AbortSignal }) =>
  (await axios.post(`${API}/auth/refresh`, {}, { withCredentials: true, signal })).data

const userFromClaims = (claims: AccessTokenClaims): User => ({
  id: String(claims.sub),
  name: String(claims.name),
  email: String(claims.email),
})

describe('restoring a session from an HttpOnly cookie', () => {
  const { server } = useMockAuthServer({ refreshTokenCookie: true })

  it('should refresh silently exactly once under StrictMode and show the user', async () => {
    // an earlier visit logged in and left the cookie behind
    await axios.post(`${API}/auth/login`, demoCredentials, { withCredentials: true })
    const auth = createAuth({ refresh: silentRefresh })
    render(
      <StrictMode>
        <AuthProvider auth={auth} restore="refresh" getUser={userFromClaims}>
          <RequireAuth restoring={<p>restoring…</p>} fallback={<p>please log in</p>}>
            <Status />
          </RequireAuth>
        </AuthProvider>
      </StrictMode>,
    )
    expect(screen.getByText('restoring…')).toBeInTheDocument()
    await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent(/^authenticated$/))
    expect(screen.getByTestId('user')).toHaveTextContent('Demo User')
    expect(server.counters.refreshCalls).toBe(1)
  })

  it('should not restore again when the provider mounts again with the same auth', async () => {
    await axios.post(`${API}/auth/login`, demoCredentials, { withCredentials: true })
    const auth = createAuth({ refresh: silentRefresh })
    const tree = (
      <AuthProvider auth={auth} restore="refresh">
        <Status />
      </AuthProvider>
    )
    const first = render(tree)
    await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent(/^authenticated$/))
    first.unmount()

    render(tree)

    expect(screen.getByTestId('status')).toHaveTextContent(/^authenticated$/)
    expect(server.counters.refreshCalls).toBe(1)
  })

  it('should show the fallback, not an error, when there is no session to restore', async () => {
    server.faults.revokeAllSessions()
    const auth = createAuth({ refresh: silentRefresh })
    render(
      <AuthProvider auth={auth} restore="refresh">
        <RequireAuth restoring={<p>restoring…</p>} fallback={<p>please log in</p>}>
          <p>secret</p>
        </RequireAuth>
        <Status />
      </AuthProvider>,
    )
    expect(await screen.findByText('please log in')).toBeInTheDocument()
    expect(screen.getByTestId('error')).toBeEmptyDOMElement()
    expect(server.counters.refreshCalls).toBe(1)
  })
})

describe('restoring a session from storage', () => {
  const clock = createTestClock()
  const { server } = useMockAuthServer({ now: clock.now })

  it('should resume the stored session and renew a token that is about to expire', async () => {
    const storage = memoryStorage()
    const earlierVisit = createAuth({ refresh: refreshWithAxios, storage, now: clock.now })
    await earlierVisit.setTokens(await server.issueTokens())
    // the page was closed for 55 of the token's 60 seconds
    clock.advance(55)
    const app = createApp({ storage, now: clock.now })
    render(
      <AuthProvider auth={app.auth} getUser={userFromClaims}>
        <Status />
      </AuthProvider>,
    )
    expect(screen.getByTestId('status')).toHaveTextContent(/^restoring$/)
    await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent(/^authenticated$/))
    expect(screen.getByTestId('user')).toHaveTextContent('Demo User')
    expect(server.counters.refreshCalls).toBe(1)
  })
})
