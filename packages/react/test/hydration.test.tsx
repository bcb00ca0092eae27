import { createAuth, webStorage } from '@retoken/core'
import { act, screen, waitFor } from '@testing-library/react'
import { hydrateRoot } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { describe, expect, it, vi } from 'vitest'
import { AuthProvider, useAuth } from '../src/index'
import { createTestToken } from '../src/testing/index'

function Greeting() {
  const { status } = useAuth()
  return <p data-testid="status">status: {status}</p>
}

describe('hydration', () => {
  it('should hydrate a server-rendered tree without warnings, then restore from storage', async () => {
    // the server knows no session; the browser has one in sessionStorage
    const serverAuth = createAuth({ refresh: async () => ({ accessToken: 'x' }) })
    const html = renderToString(
      <AuthProvider auth={serverAuth}>
        <Greeting />
      </AuthProvider>,
    )
    sessionStorage.setItem(
      'retoken.session',
      JSON.stringify({
        accessToken: createTestToken({ sub: 'u1' }),
        refreshToken: 'r',
        expiresAt: Date.now() + 3_600_000,
        lifetime: 3_600_000,
        clockOffset: 0,
      }),
    )
    const browserAuth = createAuth({
      refresh: async () => ({ accessToken: createTestToken({ sub: 'u1' }) }),
      storage: webStorage(sessionStorage),
    })
    const container = document.createElement('div')
    container.innerHTML = html
    document.body.append(container)
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    // React 19 reports a mismatch here instead of console.error
    const recoverable = vi.fn()

    const root = await act(async () =>
      hydrateRoot(
        container,
        <AuthProvider auth={browserAuth}>
          <Greeting />
        </AuthProvider>,
        { onRecoverableError: recoverable },
      ),
    )

    await waitFor(() =>
      expect(screen.getByTestId('status')).toHaveTextContent('status: authenticated'),
    )
    expect(errors).not.toHaveBeenCalled()
    expect(recoverable).not.toHaveBeenCalled()
    act(() => root.unmount())
    container.remove()
    sessionStorage.clear()
  })
})
