import { type AccessTokenClaims, autoRefresh, createAuth, webStorage } from '@retoken/core'
import axios from 'axios'

/** The app's API client: relative URLs, so the token only ever goes to this origin. */
export const api = axios.create({ baseURL: '/' })

/**
 * The session. sessionStorage keeps it across reloads of this tab for the demo's sake;
 * a real app should prefer memory plus an HttpOnly refresh cookie (see the README).
 */
export const auth = createAuth({
  refresh: async ({ refreshToken, signal }) =>
    (await axios.post('/auth/refresh', { refreshToken }, { signal })).data,
  storage: webStorage(window.sessionStorage, 'retoken.demo.session'),
  // idle, the token is still renewed before it expires: a silent refresh shows within 20 s
  autoRefresh: autoRefresh(),
})

auth.attach(api)

/** What the login form sends. */
export interface Credentials {
  email: string
  password: string
}

/** The user the mock server returns. */
export interface DemoUser {
  id: string
  email: string
  name: string
}

/** The user after a reload, from the claims the mock server puts in access tokens. */
export const userFromClaims = (claims: AccessTokenClaims): DemoUser => ({
  id: String(claims.sub),
  email: String(claims.email),
  name: String(claims.name),
})

/** The app's login call, handed to AuthProvider. */
export const login = async (credentials: Credentials) =>
  (await api.post('/auth/login', credentials, { skipAuth: true })).data

/** The app's server-side logout (revocation), handed to AuthProvider. */
export const logout = () => api.post('/auth/logout')
