import type { Auth } from '@retoken/core'
import { renderHook, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { AuthProvider, type AuthSnapshot, useAuth, useAuthState } from '../src/index'
import { createTestAuth } from '../src/testing/index'

// What the smaller binding (issue 17) must keep: the shape of what the hooks return,
// the snapshot's identity and immutability, and a restore step of the app's own.
const provider =
  (auth: Auth, restore: 'none' | ((auth: Auth) => Promise<unknown>) = 'none') =>
  ({ children }: { children: ReactNode }) => (
    <AuthProvider auth={auth} restore={restore}>
      {children}
    </AuthProvider>
  )

describe('the session the hooks return', () => {
  it('should give useAuth exactly its fields and actions, without the token', () => {
    const { result } = renderHook(() => useAuth(), { wrapper: provider(createTestAuth()) })
    expect(Object.keys(result.current)).toEqual([
      'status',
      'isAuthenticated',
      'isLoading',
      'user',
      'claims',
      'error',
      'login',
      'logout',
      'refresh',
    ])
  })

  it('should hand out a frozen snapshot that keeps its identity while nothing changes', () => {
    const { result, rerender } = renderHook(() => useAuthState((s: AuthSnapshot) => s), {
      wrapper: provider(createTestAuth()),
    })
    const first = result.current
    rerender()
    expect(result.current).toBe(first)
    expect(Object.isFrozen(first)).toBe(true)
    expect(first).toMatchObject({ status: 'authenticated', isRefreshing: false, error: null })
  })

  it("should run the app's own restore step once, showing no error when it fails", async () => {
    const auth = createTestAuth({ authenticated: false })
    const restore = vi.fn(async () => {
      throw new Error('no session')
    })
    const { result } = renderHook(() => useAuth(), { wrapper: provider(auth, restore) })
    expect(result.current.status).toBe('restoring')
    await waitFor(() => expect(result.current.status).toBe('unauthenticated'))
    expect(restore).toHaveBeenCalledTimes(1)
    expect(restore).toHaveBeenCalledWith(auth)
    expect(result.current.error).toBeNull()
  })
})
