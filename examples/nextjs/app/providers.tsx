'use client'

import { createAuth, memoryStorage, webStorage } from '@retoken/core'
import { AuthProvider } from '@retoken/react'
import axios from 'axios'
import type { ReactNode } from 'react'

// The auth object lives in this client module: its `refresh` function (and the
// provider's `login`, `logout`, `getUser`) cannot be passed from a Server Component.

// Relative URLs: next.config.mjs proxies /auth and /api, so the token stays on this origin.
export const api = axios.create({ baseURL: '/' })

const auth = createAuth({
  refresh: async ({ refreshToken, signal }) =>
    (await axios.post('/auth/refresh', { refreshToken }, { signal })).data,
  // Kept across reloads of this tab, so restore="storage" below finds the session.
  // The server renders client components too, and has no sessionStorage: there the
  // auth object stays empty (nothing logs in or restores during a server render).
  storage:
    typeof window === 'undefined' ? memoryStorage() : webStorage(sessionStorage, 'myapp.session'),
})
auth.attach(api)

export type User = { id: string; name: string }
export type Credentials = { email: string; password: string }

// Your login call: resolves with { accessToken, refreshToken, expiresIn, user }.
const login = async (credentials: Credentials) =>
  (await api.post('/auth/login', credentials, { skipAuth: true })).data
const logout = () => api.post('/auth/logout')
// After a reload there is no login result: the user comes from the token's claims.
const getUser = (claims: { sub?: string; name?: unknown }): User => ({
  id: String(claims.sub),
  name: String(claims.name),
})

export function Providers({ children }: { children: ReactNode }) {
  return (
    <AuthProvider auth={auth} login={login} logout={logout} getUser={getUser} restore="storage">
      {children}
    </AuthProvider>
  )
}
