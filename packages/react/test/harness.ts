import { type AuthOptions, createAuth } from '@retoken/core'
import { type AuthServerOptions, createAuthServer } from '@retoken/mock-server'
import axios from 'axios'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll } from 'vitest'

export const API = 'http://api.test'

/** The mock auth server through msw/node, fresh state for every test. */
export function useMockAuthServer(options: Partial<AuthServerOptions> = {}) {
  const server = createAuthServer({ baseUrl: API, accessTokenTtl: 60, ...options })
  const network = setupServer(...server.handlers)
  beforeAll(() => network.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => {
    network.resetHandlers()
    server.reset()
  })
  afterAll(() => network.close())
  return { server, network }
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
