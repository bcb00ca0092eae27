import {
  type AccessTokenClaims,
  autoRefresh,
  coordinateTabs,
  createAuth,
  dpop,
  memoryStorage,
  type TokenStorage,
  webStorage,
} from '@retoken/core'
import axios from 'axios'
import { dpopLogin, dpopRefresh } from './dpopClient'
import { followSettingsOfOtherTabs, loadSettings, skewedNow } from './settings'

/** The settings this page was loaded with; changing them reloads the page. */
export const settings = loadSettings()
followSettingsOfOtherTabs()

/** Cookie mode talks to the mock server that keeps refresh tokens in an HttpOnly cookie. */
export const isCookieMode = settings.storage === 'cookie'

/** Sent on every call so Vite's mock-server plugin picks the right server. */
export const serverHeaders: Record<string, string> = {
  'x-demo-server': isCookieMode ? 'cookie' : settings.dpop ? 'dpop' : 'body',
}

/**
 * With the DPoP switch on: the key pair (non-extractable, kept in IndexedDB) that every
 * token is bound to and every request proves; `null` with DPoP off.
 */
export const dpopKeys = settings.dpop ? dpop() : null

/** The app's API client: relative URLs, so the token only ever goes to this origin. */
export const api = axios.create({ baseURL: '/', headers: serverHeaders })

const storage: Record<typeof settings.storage, () => TokenStorage> = {
  memory: () => memoryStorage(),
  session: () => webStorage(window.sessionStorage, 'retoken.demo.session'),
  local: () => webStorage(window.localStorage, 'retoken.demo.session'),
  cookie: () => memoryStorage(),
}

/** The session, built from the settings on the page. */
export const auth = createAuth({
  refresh: dpopKeys
    ? dpopRefresh(serverHeaders)
    : // in cookie mode refreshToken is null: the browser sends the HttpOnly cookie itself
      async ({ refreshToken, signal }) =>
        (
          await axios.post('/auth/refresh', refreshToken === null ? {} : { refreshToken }, {
            signal,
            headers: serverHeaders,
          })
        ).data,
  ...(dpopKeys ? { dpop: dpopKeys } : {}),
  storage: storage[settings.storage](),
  // one cookie for every tab: the tabs must take turns to refresh (webStorage brings its
  // own); the "without coordination" scenario turns that off to show what it prevents
  ...(settings.coordination ? (isCookieMode ? { tabs: coordinateTabs() } : {}) : { tabs: false }),
  // idle, the token is still renewed before it expires: a silent refresh shows within 20 s
  ...(settings.autoRefresh ? { autoRefresh: autoRefresh() } : {}),
  // the "timeout" scenario: a refresh that hangs is given up after 5 s, and counts as transient
  refreshTimeout: 5_000,
  // the "skew the client clock" scenario moves this clock, not the machine's
  now: skewedNow,
})

auth.attach(api)

/** How AuthProvider resumes on load: from storage, or with a silent refresh from the cookie. */
export const restoreStrategy = isCookieMode ? 'refresh' : 'storage'

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

/** The app's login call, handed to AuthProvider; with DPoP, signed so the tokens are bound. */
export const login = async (credentials: Credentials) =>
  dpopKeys
    ? dpopLogin(dpopKeys, credentials, serverHeaders)
    : (await api.post('/auth/login', credentials, { skipAuth: true })).data

/** The app's server-side logout (revocation), handed to AuthProvider. */
export const logout = () => api.post('/auth/logout')

/** Calls the mock server's control API (`/__mock/*`, served by the Vite plugin). */
export async function mockControl<T = unknown>(
  action: string,
  params: Record<string, string | number> = {},
  method: 'GET' | 'POST' = 'POST',
): Promise<T> {
  const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))
  const response = await fetch(`/__mock/${action}${query.size ? `?${query}` : ''}`, {
    method,
    headers: serverHeaders,
  })
  if (!response.ok) throw new Error(`The mock server refused ${action} (${response.status})`)
  return (await response.json()) as T
}
