// Runs the README's React example as written: its module renders into #root, talks to
// the mock auth server (msw/node, on jsdom's origin) and is driven like a user would.
import { useMockAuthServer } from '@retoken/mock-server/vitest'
import { fireEvent, screen, waitFor } from '@testing-library/react'
import '@testing-library/jest-dom/vitest'
import { expect, it } from 'vitest'

// biome-ignore lint/correctness/useHookAtTopLevel: a Vitest fixture, not a React hook
const { server } = useMockAuthServer({ baseUrl: window.location.origin, accessTokenTtl: 60 })

it('should log in with a wrong then a right password, list the orders, and log out', async () => {
  document.body.innerHTML = '<div id="root"></div>'
  await import('./react')

  const email = await screen.findByLabelText(/email/i)
  fireEvent.change(email, { target: { value: 'demo@retoken.dev' } })
  fireEvent.change(screen.getByLabelText(/password/i), { target: { value: 'wrong' } })
  fireEvent.click(screen.getByRole('button', { name: 'Log in' }))
  expect(await screen.findByRole('alert')).toHaveTextContent(/password/i)

  fireEvent.change(screen.getByLabelText(/password/i), { target: { value: 'password123' } })
  fireEvent.click(screen.getByRole('button', { name: 'Log in' }))
  expect(await screen.findByText('Mechanical keyboard')).toBeInTheDocument()
  expect(screen.getByText(/signed in as/i)).toHaveTextContent(/Demo/)
  expect(server.counters.requestsByRoute['GET /api/orders']).toBe(1)

  fireEvent.click(screen.getByRole('button', { name: 'Log out' }))
  await waitFor(() => expect(screen.getByRole('button', { name: 'Log in' })).toBeInTheDocument())
  expect(sessionStorage.getItem('myapp.session')).toBeNull()
})
