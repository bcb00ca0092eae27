import { type AuthOptions, createAuth } from '@retoken/core'
import type { AuthServerOptions } from '@retoken/mock-server'
import { useMockAuthServer as startMockAuthServer } from '@retoken/mock-server/vitest'
import axios from 'axios'

export const API = 'http://api.test'

/** The mock auth server through msw/node, fresh state for every test. */
export function useMockAuthServer(options: Partial<AuthServerOptions> = {}) {
  return startMockAuthServer({ baseUrl: API, accessTokenTtl: 60, ...options })
}

/** The refresh call an app writes: plain axios, with the signal passed on. */
export const refreshWithAxios: AuthOptions['refresh'] = async ({ refreshToken, signal }) =>
  (await axios.post(`${API}/auth/refresh`, { refreshToken }, { signal })).data

/** The app's pieces, as a real app would write them. */
export function createApp(options: Partial<AuthOptions> = {}) {
  const api = axios.create({ baseURL: API })
  const auth = createAuth({ refresh: refreshWithAxios, ...options })
  auth.attach(api)
  const login = async (credentials: { email: string; password: string }) =>
    (await api.post('/auth/login', credentials, { skipAuth: true })).data
  const logout = () => api.post('/auth/logout')
  return { api, auth, login, logout }
}

export const demoCredentials = { email: 'demo@retoken.dev', password: 'password123' }

/**
 * Runs a render that is expected to throw without its noise: React 18 reports the error
 * through console.error and, in development, rethrows it in a jsdom event that jsdom
 * prints unless the page handles it.
 */
export function withoutRenderErrorLogs<T>(run: () => T): T {
  const handled = (event: ErrorEvent) => event.preventDefault()
  const original = console.error
  console.error = () => {}
  window.addEventListener('error', handled)
  try {
    return run()
  } finally {
    window.removeEventListener('error', handled)
    console.error = original
  }
}
