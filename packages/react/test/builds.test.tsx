import { createAuth } from '@retoken/core'
import { renderHook } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { build } from '#dev'
import { AuthContext } from '../src/AuthContext'
import { AuthProvider, useAuth } from '../src/index'
import { withoutRenderErrorLogs } from './harness'

// The development build explains, the production build gives a code: the same `Error`,
// thrown at the same moment (docs/decisions/017). This file runs in both builds.
const development = build === 'development'

describe(`the ${build} build`, () => {
  const auth = () => createAuth({ refresh: async () => ({ accessToken: 'x' }) })

  it('should throw an Error outside a provider, explained only in development', () => {
    let thrown: unknown
    try {
      withoutRenderErrorLogs(() => renderHook(() => useAuth()))
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(Error)
    expect((thrown as Error).message).toBe(
      development
        ? 'useAuth must be used inside <AuthProvider>: wrap your app in <AuthProvider auth={auth}>'
        : 'no-provider',
    )
  })

  it('should reject login without a `login` prop, explained only in development', async () => {
    const { result } = renderHook(() => useAuth(), {
      wrapper: ({ children }) => (
        <AuthProvider auth={auth()} restore="none">
          {children}
        </AuthProvider>
      ),
    })
    const error = await result.current.login({}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toBe(
      development
        ? 'AuthProvider needs a `login` prop before useAuth().login can be called'
        : 'no-login',
    )
    // refused before anything started: no error shown, nothing loading
    expect(result.current.error).toBeNull()
    expect(result.current.isLoading).toBe(false)
  })

  it('should name the context for React DevTools only in development', () => {
    expect(AuthContext.displayName).toBe(development ? 'RetokenAuthContext' : undefined)
  })
})
