import { useState } from 'react'
import { type AuthSnapshot, type UseAuthResult, useAuth, useAuthState } from '../src/index'
import { demoCredentials } from './harness'

export type User = { id: string; name: string; email: string }

/** What every test reads: status, user and error, as a user would see them. */
export function Status() {
  const { status, user, error } = useAuth<User>()
  return (
    <p>
      <span data-testid="status">{status}</span>
      <span data-testid="user">{user?.name ?? 'nobody'}</span>
      <span data-testid="error">{error?.message ?? ''}</span>
    </p>
  )
}

/** Log in (with the demo password unless told otherwise), log out, and the outcome of login. */
export function LoginButtons({ password = demoCredentials.password }: { password?: string }) {
  const { login, logout, refresh } = useAuth()
  const [outcome, setOutcome] = useState('')
  return (
    <>
      <button
        type="button"
        onClick={() =>
          login({ ...demoCredentials, password }).then(
            () => setOutcome('ok'),
            (error: Error) => setOutcome(`rejected: ${error.message}`),
          )
        }
      >
        log in
      </button>
      <button type="button" onClick={() => logout()}>
        log out
      </button>
      <button type="button" onClick={() => refresh()}>
        refresh
      </button>
      <span data-testid="outcome">{outcome}</span>
    </>
  )
}

/** Counts its own renders; reads only the user's name. */
export function UserName({ renders }: { renders: { count: number } }) {
  renders.count += 1
  const name = useAuthState((s: AuthSnapshot<User>) => s.user?.name ?? 'nobody')
  return <span data-testid="name">{name}</span>
}

/** Counts its own renders; reads the access token. */
export function TokenTail({ renders }: { renders: { count: number } }) {
  renders.count += 1
  const token = useAuthState((s) => s.accessToken)
  return <span data-testid="token">{token?.slice(-6)}</span>
}

/** Hands `useAuth()` to the test, so it can await `login` inside `act`. */
export function ExposeAuth({ into }: { into: { current: UseAuthResult | null } }) {
  into.current = useAuth()
  return null
}
