'use client'

import { useAuth } from '@retoken/react'
import type { FormEvent } from 'react'
import type { Credentials, User } from './providers'

export function LoginForm() {
  const { login, error, isLoading } = useAuth<User, Credentials>()
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const credentials = { email: String(form.get('email')), password: String(form.get('password')) }
    // a wrong password rejects, and its message is already in `error`
    login(credentials).catch(() => {})
  }
  return (
    <form onSubmit={onSubmit} aria-label="Log in">
      <h1>Log in</h1>
      <p>
        <label>
          Email <input name="email" type="email" autoComplete="username" required />
        </label>
      </p>
      <p>
        <label>
          Password{' '}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
      </p>
      {error && <p role="alert">{error.message}</p>} {/* the server's message */}
      {/* disabled while a stored session is being checked, and while logging in */}
      <button type="submit" disabled={isLoading}>
        Log in
      </button>
    </form>
  )
}
