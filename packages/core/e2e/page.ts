// The test page each tab loads: @retoken/core from source, driven by the e2e test.
import axios from 'axios'
import {
  type Auth,
  autoRefresh,
  coordinateTabs,
  createAuth,
  memoryStorage,
  type TokenStorage,
  webStorage,
} from '../src/index'

/** How a tab is set up. */
export interface TabSetup {
  api: string
  storage: 'memory' | 'session' | 'local'
  autoRefresh?: boolean
  /** The refresh token travels as the mock server's HttpOnly cookie. */
  cookie?: boolean
}

let auth: Auth | null = null
let http = axios.create()

const storages: Record<TabSetup['storage'], () => TokenStorage> = {
  memory: () => memoryStorage(),
  session: () => webStorage(sessionStorage),
  local: () => webStorage(localStorage),
}

const tab = {
  async setup(setup: TabSetup) {
    const withCredentials = setup.cookie ?? false
    http = axios.create({ baseURL: setup.api, withCredentials })
    auth = createAuth({
      refresh: async ({ refreshToken, signal }) =>
        (
          await axios.post(`${setup.api}/auth/refresh`, refreshToken ? { refreshToken } : {}, {
            signal,
            withCredentials,
          })
        ).data,
      storage: storages[setup.storage](),
      // one cookie for every tab: memory tabs must be coordinated explicitly
      ...(setup.cookie ? { tabs: coordinateTabs() } : {}),
      ...(setup.autoRefresh ? { autoRefresh: autoRefresh() } : {}),
    })
    auth.attach(http)
    await auth.restore()
    return auth.getState().status
  },
  async login() {
    const { data } = await http.post('/auth/login', {
      email: 'demo@retoken.dev',
      password: 'password123',
    })
    await auth?.setTokens(data)
  },
  logout: () => auth?.logout(),
  /** Fires `n` requests at once; resolves with each status (0 for no response). */
  async burst(n: number) {
    const results = await Promise.allSettled(
      Array.from({ length: n }, () => http.get('/api/echo', { params: { t: Math.random() } })),
    )
    return results.map((r) =>
      r.status === 'fulfilled' ? r.value.status : (r.reason?.response?.status ?? 0),
    )
  },
  state: () => {
    const state = auth?.getState()
    return { status: state?.status ?? 'none', token: state?.accessToken ?? null }
  },
  hasLocks: () => typeof navigator.locks !== 'undefined',
}

;(window as unknown as { tab: typeof tab }).tab = tab
