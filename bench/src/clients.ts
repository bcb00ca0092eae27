// One client per library, each set up the way its README shows, all against the same
// mock server. Only the refresh call and token storage are written here.
import { createAuth } from '@retoken/core'
import type { IssuedSession } from '@retoken/mock-server'
import axios, { type AxiosInstance } from 'axios'
import { createAuthRefresh } from 'axios-auth-refresh'
import { applyAuthTokenInterceptor, setAuthTokens } from 'axios-jwt'

export const API = 'http://bench.test'

/** A logged-in Axios instance, and how to dispose of it. */
export interface BenchClient {
  api: AxiosInstance
  dispose(): void
}

/** How to build a client for one library. */
export interface ClientFactory {
  name: string
  create(session: IssuedSession): Promise<BenchClient>
}

const refreshCall = async (refreshToken: string | null) =>
  (await axios.post(`${API}/auth/refresh`, { refreshToken })).data as {
    accessToken: string
    refreshToken: string
    expiresIn: number
  }

export const retoken: ClientFactory = {
  name: 'retoken',
  async create(session) {
    const api = axios.create({ baseURL: API })
    const auth = createAuth({ refresh: ({ refreshToken }) => refreshCall(refreshToken) })
    auth.attach(api)
    await auth.setTokens(session)
    return { api, dispose: () => auth.destroy() }
  },
}

export const axiosAuthRefresh: ClientFactory = {
  name: 'axios-auth-refresh',
  async create(session) {
    let tokens = { accessToken: session.accessToken, refreshToken: session.refreshToken }
    const api = axios.create({ baseURL: API })
    api.interceptors.request.use((config) => {
      config.headers.Authorization = `Bearer ${tokens.accessToken}`
      return config
    })
    createAuthRefresh(api, async (failed) => {
      tokens = await refreshCall(tokens.refreshToken)
      failed.response.config.headers.Authorization = `Bearer ${tokens.accessToken}`
    })
    return { api, dispose: () => {} }
  },
}

export const axiosJwt: ClientFactory = {
  name: 'axios-jwt',
  async create(session) {
    const memory = new Map<string, string>()
    const api = axios.create({ baseURL: API })
    applyAuthTokenInterceptor(api, {
      requestRefresh: async (refreshToken) => {
        const tokens = await refreshCall(refreshToken)
        return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken }
      },
      getStorage: () => ({
        get: async (key) => memory.get(key) ?? null,
        set: async (key, value) => void memory.set(key, value),
        remove: async (key) => void memory.delete(key),
      }),
    })
    await setAuthTokens({ accessToken: session.accessToken, refreshToken: session.refreshToken })
    return { api, dispose: () => {} }
  },
}

export const clients: ClientFactory[] = [retoken, axiosAuthRefresh, axiosJwt]
