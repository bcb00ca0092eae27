import { type AuthSnapshot, useAuth, useAuthState } from '@retoken/react'
import { useEffect, useState } from 'react'
import type { DemoUser } from '../auth'

/** Who is logged in and when the access token expires, counting down. */
export function SessionPanel() {
  const { logout } = useAuth()
  const name = useAuthState((s: AuthSnapshot<DemoUser>) => s.user?.name)
  const expiresAt = useAuthState((s) => s.expiresAt)
  const isRefreshing = useAuthState((s) => s.isRefreshing)
  const now = useNow()
  const secondsLeft = expiresAt === null ? null : Math.max(0, Math.round((expiresAt - now) / 1000))

  return (
    <div className="panel">
      <h2>
        Hello, <span data-testid="user-name">{name}</span>
      </h2>
      <p data-testid="token-expiry">
        {isRefreshing
          ? 'Refreshing the access token…'
          : `Access token expires in ${secondsLeft ?? '?'} s`}
      </p>
      <button type="button" onClick={() => logout()}>
        Log out
      </button>
    </div>
  )
}

function useNow() {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000)
    return () => clearInterval(timer)
  }, [])
  return now
}
