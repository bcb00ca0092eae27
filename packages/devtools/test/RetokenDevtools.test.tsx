import { createAuth } from '@retoken/core'
import { useMockAuthServer } from '@retoken/mock-server/vitest'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import axios from 'axios'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { RetokenDevtools } from '../src/index'
import { RetokenDevtools as ForcedDevtools } from '../src/production'

const API = 'http://api.test'

function createApp() {
  const api = axios.create({ baseURL: API })
  const auth = createAuth({
    refresh: async ({ refreshToken, signal }) =>
      (await axios.post(`${API}/auth/refresh`, { refreshToken }, { signal })).data,
  })
  auth.attach(api)
  return { api, auth }
}

describe('RetokenDevtools', () => {
  const { server } = useMockAuthServer({ baseUrl: API, accessTokenTtl: 60 })
  let destroy: (() => void) | undefined
  afterEach(() => destroy?.())

  it('should show the session and one refresh for a burst of expired requests', async () => {
    const { api, auth } = createApp()
    destroy = auth.destroy
    render(<RetokenDevtools auth={auth} />)
    await userEvent.click(screen.getByRole('button', { name: 'retoken devtools' }))
    const panel = await screen.findByRole('region', { name: 'retoken devtools' })
    await within(panel).findByText('unauthenticated')

    await auth.setTokens(await server.issueTokens())
    await within(panel).findByText('authenticated')
    expect(within(panel).getByText('Demo User')).toBeInTheDocument()
    expect(within(panel).getByLabelText('Decoded claims').textContent).toContain('demo@retoken.dev')

    server.clock.setOffset(120)
    await Promise.all(Array.from({ length: 5 }, () => api.get('/api/orders')))
    const timeline = screen.getByTestId('rtdt-timeline')
    await within(timeline).findByText('refresh (401) · this tab · succeeded')
    expect(within(timeline).getAllByText(/refresh \(/)).toHaveLength(1)
    expect(server.counters.refreshCalls).toBe(1)
    expect(within(timeline).getByText('logged in')).toBeInTheDocument()
    expect(within(timeline).getAllByText(/\/api\/orders.*queued/).length).toBeGreaterThan(0)
  })

  it('should mark a failed refresh as transient and keep the session', async () => {
    const { auth } = createApp()
    destroy = auth.destroy
    render(<RetokenDevtools auth={auth} mode="embedded" />)
    await auth.setTokens(await server.issueTokens())
    server.faults.failNextRefresh(1, 'server-error')
    await expect(auth.refresh()).rejects.toThrow()
    const timeline = await screen.findByTestId('rtdt-timeline')
    await within(timeline).findByText('refresh (manual) · failed (transient)')
    expect(screen.getByTestId('rtdt-status')).toHaveTextContent(/^authenticated$/)
  })

  it('should pause, filter and clear the timeline', async () => {
    const { auth } = createApp()
    destroy = auth.destroy
    render(<RetokenDevtools auth={auth} mode="embedded" />)
    const timeline = await screen.findByTestId('rtdt-timeline')
    await userEvent.click(screen.getByRole('button', { name: 'Pause' }))
    await auth.setTokens(await server.issueTokens())
    // held while paused, not dropped: the button says how many wait, resume shows them
    expect(within(timeline).queryByText('logged in')).not.toBeInTheDocument()
    await userEvent.click(screen.getByRole('button', { name: 'Resume (1 new)' }))
    expect(within(timeline).getByText('logged in')).toBeInTheDocument()
    await auth.logout()
    await within(timeline).findByText('logged out')
    // newest first
    expect(within(timeline).getAllByRole('listitem')[0]).toHaveTextContent('logged out')
    await userEvent.selectOptions(screen.getByLabelText('Show'), 'refresh')
    expect(within(timeline).queryByText('logged out')).not.toBeInTheDocument()
    await userEvent.selectOptions(screen.getByLabelText('Show'), 'all')
    await userEvent.click(screen.getByRole('button', { name: 'Clear' }))
    expect(within(timeline).getByText('Nothing yet.')).toBeInTheDocument()
  })

  it('should decode a pasted token with readable dates and say it is not verified', async () => {
    const { auth } = createApp()
    destroy = auth.destroy
    render(<RetokenDevtools auth={auth} mode="embedded" />)
    const token = await server.signToken({ sub: 'u9', exp: 1_900_000_000, iat: 1_899_999_000 })
    await userEvent.type(await screen.findByLabelText('JWT'), token)
    expect(screen.getByLabelText('Claims').textContent).toContain('"sub": "u9"')
    expect(screen.getByTestId('rtdt-exp')).toHaveTextContent('2030-03-17T17:46:40.000Z UTC')
    expect(screen.getByText(/Decoding is not verification/)).toBeInTheDocument()
    await userEvent.clear(screen.getByLabelText('JWT'))
    await userEvent.type(screen.getByLabelText('JWT'), 'nope')
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Not a JWT: it must have three parts separated by dots (this has 1)',
    )
  })

  it('should render nothing in production unless forced', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const { auth } = createApp()
    destroy = auth.destroy
    const { container } = render(<RetokenDevtools auth={auth} mode="embedded" />)
    expect(container).toBeEmptyDOMElement()
    render(<RetokenDevtools auth={auth} mode="embedded" force />)
    render(<ForcedDevtools auth={auth} mode="embedded" />)
    await waitFor(() =>
      expect(screen.getAllByRole('region', { name: 'retoken devtools' })).toHaveLength(2),
    )
  })
})
