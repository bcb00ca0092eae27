// Each library set up the way its README shows, on a given network. Only the refresh
// call (a plain Axios call, not the authenticated instance, as all three READMEs say;
// fetch for the fetch user, as retoken's fetch example) and token storage are ours.
import { type AuthOptions, createAuth, createFetch, createSession } from '@retoken/core'
import axios, { type AxiosInstance } from 'axios'
import { createAuthRefresh } from 'axios-auth-refresh'
import { applyAuthTokenInterceptor, setAuthTokens } from 'axios-jwt'
import type { Network } from './network'
import type { Tokens } from './tokens'

type Session = Pick<Tokens, 'accessToken' | 'refreshToken'> & { expiresIn?: number }

/** The app's refresh call with Axios: `POST /auth/refresh { refreshToken }`. */
export function axiosRefresh(net: Network) {
  const http = axios.create({ adapter: net.adapter })
  return async (refreshToken: string | null, signal?: AbortSignal): Promise<Tokens> =>
    (await http.post(`${net.baseURL}/auth/refresh`, { refreshToken }, signal ? { signal } : {}))
      .data
}

/** The same call with fetch, as retoken's fetch example writes it. */
export function fetchRefresh(net: Network) {
  return async (refreshToken: string | null, signal: AbortSignal): Promise<Tokens> => {
    const response = await net.fetch(`${net.baseURL}/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
      signal,
    })
    if (!response.ok) throw Object.assign(new Error('refresh failed'), { status: response.status })
    return (await response.json()) as Tokens
  }
}

/** Axios with nothing added: the baseline. */
export const bareAxios = (net: Network): AxiosInstance =>
  axios.create({ baseURL: net.baseURL, adapter: net.adapter })

/** The floor: one synchronous request interceptor that sets `Authorization`, nothing else. */
export function floorAxios(net: Network, accessToken: string): AxiosInstance {
  const api = bareAxios(net)
  api.interceptors.request.use((config) => {
    config.headers.Authorization = `Bearer ${accessToken}`
    return config
  })
  return api
}

/** retoken on Axios: README "Using @retoken/core". */
export async function retokenAxios(
  net: Network,
  session: Session,
  options: Partial<AuthOptions> = {},
) {
  const refresh = axiosRefresh(net)
  const api = bareAxios(net)
  const auth = createAuth({
    refresh: ({ refreshToken, signal }) => refresh(refreshToken, signal),
    ...options,
  })
  auth.attach(api, { allowedOrigins: [net.baseURL] })
  await auth.setTokens(session)
  return { api, auth }
}

/** retoken on fetch: README "With fetch, ky or openapi-fetch". */
export async function retokenFetch(
  net: Network,
  session: Session,
  options: Partial<AuthOptions> = {},
) {
  const refresh = fetchRefresh(net)
  // as the README's fetch example: a fetch-only app creates its session without attach()
  const auth = createSession({
    refresh: ({ refreshToken, signal }) => refresh(refreshToken, signal),
    ...options,
  })
  const authFetch = createFetch(auth, { allowedOrigins: [net.baseURL], fetch: net.fetch })
  await auth.setTokens(session)
  return { fetch: authFetch, auth }
}

/**
 * axios-auth-refresh: its README's request interceptor reads the current token, and
 * `refreshAuthLogic` stores the new one and sets it on the failed request. Defaults
 * (`deduplicateRefresh: true`, the README's recommendation).
 */
export function axiosAuthRefresh(net: Network, session: Session): AxiosInstance {
  const refresh = axiosRefresh(net)
  let tokens = { accessToken: session.accessToken, refreshToken: session.refreshToken }
  const api = bareAxios(net)
  api.interceptors.request.use((config) => {
    config.headers.Authorization = `Bearer ${tokens.accessToken}`
    return config
  })
  createAuthRefresh(
    api,
    async (failed: { response: { config: { headers: Record<string, string> } } }) => {
      const next = await refresh(tokens.refreshToken)
      tokens = { accessToken: next.accessToken, refreshToken: next.refreshToken }
      failed.response.config.headers.Authorization = `Bearer ${next.accessToken}`
    },
  )
  return api
}

/**
 * axios-jwt: `applyAuthTokenInterceptor(api, { requestRefresh, getStorage })` and
 * `setAuthTokens()`. Node has no localStorage, so `getStorage` is an in-memory version of
 * its `getBrowserLocalStorage()` (async get/set over strings, JSON as it stores them).
 * axios-jwt keeps its storage and refresh promise in module globals: one client at a time.
 */
export async function axiosJwt(net: Network, session: Session): Promise<AxiosInstance> {
  const refresh = axiosRefresh(net)
  const memory = new Map<string, string>()
  const api = bareAxios(net)
  applyAuthTokenInterceptor(api, {
    requestRefresh: async (refreshToken) => {
      const next = await refresh(refreshToken)
      return { accessToken: next.accessToken, refreshToken: next.refreshToken }
    },
    getStorage: () => ({
      get: async (key) => memory.get(key) ?? null,
      set: async (key, value) => void memory.set(key, value),
      remove: async (key) => void memory.delete(key),
    }),
  })
  await setAuthTokens({ accessToken: session.accessToken, refreshToken: session.refreshToken })
  return api
}
