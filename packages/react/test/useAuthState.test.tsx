import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { build } from '#dev'
import { useAuthState } from '../src/index'
import { TestAuthProvider } from '../src/testing/index'
import { withoutRenderErrorLogs } from './harness'

type Claim = 'name' | 'role'

function ClaimValue({ claim }: { claim: Claim }) {
  const value = useAuthState((s) => s.claims?.[claim])
  return <p data-testid="claim">{String(value)}</p>
}

describe('useAuthState', () => {
  it('should select with the new selector when only the selector changes', () => {
    const { rerender } = render(
      <TestAuthProvider claims={{ sub: 'u1', name: 'Ada', role: 'admin' }}>
        <ClaimValue claim="name" />
      </TestAuthProvider>,
    )
    expect(screen.getByTestId('claim')).toHaveTextContent('Ada')
    rerender(
      <TestAuthProvider claims={{ sub: 'u1', name: 'Ada', role: 'admin' }}>
        <ClaimValue claim="role" />
      </TestAuthProvider>,
    )
    expect(screen.getByTestId('claim')).toHaveTextContent('admin')
  })

  it('should throw an error naming the provider outside one', () => {
    expect(() => withoutRenderErrorLogs(() => render(<ClaimValue claim="name" />))).toThrow(
      build === 'development' ? 'useAuthState must be used inside <AuthProvider>' : 'no-provider',
    )
  })
})
