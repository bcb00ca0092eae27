import { createSession } from '@retoken/core'
import { act, renderHook, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import { describe, expect, it } from 'vitest'
import { AuthProvider, useAuth } from '../src/index'
import { createTestToken } from '../src/testing/index'

describe('AuthProvider with a createSession() object (a fetch-only app)', () => {
  it('should restore, log in and log out as with createAuth(), calling the restore step with it', async () => {
    const session = createSession({
      refresh: async () => ({ accessToken: createTestToken({ sub: 'u1' }, 60), expiresIn: 60 }),
    })
    const restoredWith: unknown[] = []
    const wrapper = ({ children }: { children: ReactNode }) => (
      <AuthProvider
        auth={session}
        restore={async (auth) => restoredWith.push(auth)}
        login={async () => ({
          accessToken: createTestToken({ sub: 'u1', name: 'Ada' }, 60),
          refreshToken: 'r1',
        })}
      >
        {children}
      </AuthProvider>
    )
    const { result } = renderHook(() => useAuth<{ name: string }>(), { wrapper })
    await waitFor(() => expect(result.current.status).toBe('unauthenticated'))
    expect(restoredWith).toEqual([session])

    await act(() => result.current.login({}))
    expect(result.current.status).toBe('authenticated')
    expect(result.current.user?.name).toBe('Ada')

    await act(() => result.current.logout())
    expect(result.current.status).toBe('unauthenticated')
    expect(session.getState().accessToken).toBeNull()
  })
})
