import { isSessionExpiredError } from '@retoken/core'
import { useAuth } from '@retoken/react'
import { type FormEvent, useState } from 'react'
import type { Credentials } from '../auth'

/** Logs in with the seeded demo user (or shows the server's message for wrong credentials). */
export function LoginForm() {
  const { login, error, isLoading } = useAuth<unknown, Credentials>()
  const [email, setEmail] = useState('demo@retoken.dev')
  const [password, setPassword] = useState('password123')

  const submit = (event: FormEvent) => {
    event.preventDefault()
    // the failure is shown through `error`; nothing else to do with it here
    login({ email, password }).catch(() => {})
  }

  return (
    <form className="card login" onSubmit={submit} aria-labelledby="login-title">
      <h2 id="login-title">Log in</h2>
      <p className="hint" data-testid="seeded-credentials">
        Seeded user: <code>demo@retoken.dev</code> / <code>password123</code>
      </p>
      <label className="field">
        <span>Email</span>
        <input
          type="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </label>
      <label className="field">
        <span>Password</span>
        <input
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <button type="submit" className="primary" disabled={isLoading}>
        Log in
      </button>
      {/* a session the server ended is told by the notice above; this is a failed login */}
      {error && !isSessionExpiredError(error) && (
        <p role="alert" className="error" data-testid="login-error">
          {error.message}
        </p>
      )}
    </form>
  )
}
