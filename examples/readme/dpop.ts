import { createAuth, createFetch, dpop, oauthRefresh, type TokenSet } from '@retoken/core'

const API_URL = 'https://api.example.com' // your API and authorization server

// An ES256 key whose private half can never be exported: in IndexedDB in browsers
// (one per app and issuer, shared by the tabs), in memory in Node.
const keys = dpop()
const auth = createAuth({
  refresh: oauthRefresh({ issuer: API_URL, clientId: 'my-spa' }),
  dpop: keys,
})
const authFetch = createFetch(auth, { allowedOrigins: [API_URL] })

// Send your login (or code exchange) through keys.fetch: it carries a proof, so the
// tokens that come back are bound to the key, and it follows the server's nonce.
const login = await keys.fetch(`${API_URL}/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: 'demo@retoken.dev', password: 'password123' }),
})
const tokens = (await login.json()) as TokenSet
console.log(tokens.tokenType) // 'DPoP'
await auth.setTokens(tokens)

// Every call carries `Authorization: DPoP …` and a fresh proof; so does the refresh.
const orders = await (await authFetch(`${API_URL}/api/orders`)).json()
console.log(orders)
await auth.refresh()

// Logout deletes the key and the nonces: a copied token is useless without them.
await auth.logout()
