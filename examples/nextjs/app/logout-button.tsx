'use client'

import { useAuth, useAuthState } from '@retoken/react'
import type { User } from './providers'

export function LogoutButton() {
  const { logout } = useAuth()
  // re-renders only when the name changes: not on the silent refresh every few minutes
  const name = useAuthState((s) => (s.user as User | null)?.name)
  return (
    <p>
      Signed in as <strong>{name}</strong>{' '}
      <button type="button" onClick={() => void logout()}>
        Log out
      </button>
    </p>
  )
}
