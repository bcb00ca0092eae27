import { createFetch, createSession, type TokenSet } from '@retoken/core'

const API_URL = 'https://api.example.com' // your API

// createSession is createAuth without attach(): a fetch-only app ships no Axios code
const auth = createSession({
  refresh: async ({ refreshToken, signal }) => {
    const response = await fetch(`${API_URL}/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
      signal,
    })
    // a `status` on the error tells retoken whether the session is over (400, 401, 403)
    if (!response.ok) throw Object.assign(new Error('refresh failed'), { status: response.status })
    return (await response.json()) as TokenSet
  },
})

// A function with the signature of fetch. In a browser the page's own origin gets the
// token without saying so; list the other origins (in Node, every origin) here.
const authFetch = createFetch(auth, { allowedOrigins: [API_URL] })

// Your login call; `skipAuth` sends it as is.
const credentials = { email: 'demo@retoken.dev', password: 'password123' }
const login = await authFetch(`${API_URL}/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(credentials),
  skipAuth: true,
})
await auth.setTokens((await login.json()) as TokenSet)

// Every call now carries the token; a 401 refreshes once and sends the call again.
const orders = await (await authFetch(`${API_URL}/api/orders`)).json()
console.log(orders)
