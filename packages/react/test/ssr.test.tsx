// @vitest-environment node
import { createAuth, memoryStorage } from '@retoken/core'
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { AuthProvider, RequireAuth, useAuth } from '../src/index'

function Greeting() {
  const { status } = useAuth()
  return <p>status: {status}</p>
}

describe('server-side rendering', () => {
  it('should render the provider in Node without window', () => {
    expect(typeof window).toBe('undefined')
    const auth = createAuth({
      refresh: async () => ({ accessToken: 'x' }),
      storage: memoryStorage(),
    })
    const html = renderToString(
      <AuthProvider auth={auth}>
        <Greeting />
        <RequireAuth restoring={<p>loading…</p>} fallback={<p>log in</p>}>
          <p>secret</p>
        </RequireAuth>
      </AuthProvider>,
    )
    expect(html).toContain('status: <!-- -->restoring')
    expect(html).toContain('loading…')
    expect(html).not.toContain('secret')
  })
})
