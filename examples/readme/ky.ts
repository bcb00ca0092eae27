import { createAuth, createFetch, type TokenSet } from '@retoken/core'
import ky from 'ky'

const API_URL = 'https://api.example.com' // your API

const auth = createAuth({
  // ky's HTTPError carries `response.status`: retoken reads it to tell a rejected refresh
  refresh: ({ refreshToken, signal }) =>
    ky.post(`${API_URL}/auth/refresh`, { json: { refreshToken }, signal }).json<TokenSet>(),
})

// ky takes a custom fetch; its own retries stay as they are (401 is not among them).
const api = ky.create({
  prefixUrl: API_URL,
  fetch: createFetch(auth, { allowedOrigins: [API_URL] }),
})

const credentials = { email: 'demo@retoken.dev', password: 'password123' }
await auth.setTokens(await ky.post(`${API_URL}/auth/login`, { json: credentials }).json<TokenSet>())

const orders = await api.get('api/orders').json()
console.log(orders)
