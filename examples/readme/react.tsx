import { createAuth, isSessionExpiredError, webStorage } from '@retoken/core'
import { AuthProvider, type AuthSnapshot, RequireAuth, useAuth, useAuthState } from '@retoken/react'
import axios from 'axios'
import { type FormEvent, useEffect, useState } from 'react'
import { createRoot } from 'react-dom/client'

// Relative URLs: the API is on this origin, so the token goes nowhere else.
const api = axios.create({ baseURL: '/' })

const auth = createAuth({
  refresh: async ({ refreshToken, signal }) =>
    (await axios.post('/auth/refresh', { refreshToken }, { signal })).data,
  // kept across reloads of this tab, so restore="storage" below finds the session
  storage: webStorage(sessionStorage, 'myapp.session'),
})
auth.attach(api)

type User = { id: string; name: string }
type Credentials = { email: string; password: string }

// Your login call: resolves with { accessToken, refreshToken, expiresIn, user }.
const login = async (credentials: Credentials) =>
  (await api.post('/auth/login', credentials, { skipAuth: true })).data
const logout = () => api.post('/auth/logout')
// After a reload there is no login result: the user comes from the token's claims.
const getUser = (claims: { sub?: string; name?: unknown }): User => ({
  id: String(claims.sub),
  name: String(claims.name),
})

function Root() {
  return (
    <AuthProvider auth={auth} login={login} logout={logout} getUser={getUser} restore="storage">
      <RequireAuth restoring={<p>Loading…</p>} fallback={<LoginPage />}>
        <Orders />
      </RequireAuth>
    </AuthProvider>
  )
}

function LoginPage() {
  const { login, error, isLoading } = useAuth<User, Credentials>()
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const credentials = { email: String(form.get('email')), password: String(form.get('password')) }
    // a wrong password rejects, and its message is already in `error`
    login(credentials).catch(() => {})
  }
  return (
    <form onSubmit={onSubmit}>
      <label>
        Email <input name="email" type="email" autoComplete="username" required />
      </label>
      <label>
        Password <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {error && <p role="alert">{error.message}</p>} {/* the server's message */}
      <button type="submit" disabled={isLoading}>
        Log in
      </button>
    </form>
  )
}

function Avatar() {
  // re-renders only when the name changes: not on the silent refresh every few minutes
  const name = useAuthState((s: AuthSnapshot<User>) => s.user?.name)
  return <strong>{name}</strong>
}

function Orders() {
  const { logout } = useAuth()
  const [orders, setOrders] = useState<{ id: string; item: string }[] | null>(null)
  useEffect(() => {
    const controller = new AbortController()
    api.get('/api/orders', { signal: controller.signal }).then(
      ({ data }) => setOrders(data.orders),
      // an expired session already shows the login page; a cancel is the unmount
      (error) => axios.isCancel(error) || isSessionExpiredError(error) || console.error(error),
    )
    return () => controller.abort()
  }, [])
  return (
    <main>
      <p>
        Signed in as <Avatar />{' '}
        <button type="button" onClick={() => void logout()}>
          Log out
        </button>
      </p>
      {orders ? (
        <ul>
          {orders.map((order) => (
            <li key={order.id}>{order.item}</li>
          ))}
        </ul>
      ) : (
        <p>Loading orders…</p>
      )}
    </main>
  )
}

createRoot(document.getElementById('root') as HTMLElement).render(<Root />)
