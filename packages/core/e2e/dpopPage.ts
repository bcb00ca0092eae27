// The page of the DPoP browser tests: one auth with dpop() and webStorage(localStorage)
// against the mock server in DPoP mode, driven from the test through `window.dpopTab`.
import {
  createAuth,
  createFetch,
  dpop,
  oauthRefresh,
  type TokenSet,
  webStorage,
} from '../src/index'

let api = ''
let keys = dpop()
let auth = createAuth({ refresh: async () => ({ accessToken: 'x' }) })
let authFetch = createFetch(auth, { allowedOrigins: [] })

const dpopTab = {
  async setup(apiUrl: string) {
    api = apiUrl
    keys = dpop({ issuer: apiUrl })
    auth = createAuth({
      refresh: oauthRefresh({ tokenEndpoint: `${apiUrl}/oauth/token`, clientId: 'spa' }),
      storage: webStorage(localStorage, 'dpop-e2e'),
      dpop: keys,
    })
    authFetch = createFetch(auth, { allowedOrigins: [apiUrl] })
    await auth.restore()
    return auth.getState().status
  },
  thumbprint: () => keys.thumbprint(),
  async login() {
    const response = await keys.fetch(`${api}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'demo@retoken.dev', password: 'password123' }),
    })
    await auth.setTokens((await response.json()) as TokenSet)
  },
  async orders() {
    return (await authFetch(`${api}/api/orders`)).status
  },
  state: () => ({ status: auth.getState().status, token: auth.getState().accessToken }),
  /** Reads the stored pair straight from IndexedDB, as a script on the page could, and tries to export it. */
  async tryExport() {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('retoken-dpop')
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
    })
    const pairs = await new Promise<CryptoKeyPair[]>((resolve, reject) => {
      const request = db.transaction('keys').objectStore('keys').getAll()
      request.onsuccess = () => resolve(request.result as CryptoKeyPair[])
      request.onerror = () => reject(request.error)
    })
    const results: string[] = []
    for (const pair of pairs) {
      try {
        await crypto.subtle.exportKey('jwk', pair.privateKey)
        results.push('exported')
      } catch (error) {
        results.push(`${(error as Error).name}; extractable=${pair.privateKey.extractable}`)
      }
    }
    return results
  },
}

Object.assign(window, { dpopTab })
