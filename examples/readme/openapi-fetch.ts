import { createAuth, createFetch, type TokenSet } from '@retoken/core'
import createClient from 'openapi-fetch'

const API_URL = 'https://api.example.com' // your API

// What openapi-typescript generates from your schema (`import type { paths } from './api'`),
// written out here for the two routes this example calls.
interface Order {
  id: string
  item: string
  total: number
}
interface paths {
  '/auth/login': {
    post: {
      requestBody: { content: { 'application/json': { email: string; password: string } } }
      responses: { 200: { content: { 'application/json': TokenSet } } }
    }
  }
  '/api/orders': {
    get: { responses: { 200: { content: { 'application/json': { orders: Order[] } } } } }
  }
}

const auth = createAuth({
  refresh: async ({ refreshToken, signal }) => {
    const response = await fetch(`${API_URL}/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
      signal,
    })
    if (!response.ok) throw Object.assign(new Error('refresh failed'), { status: response.status })
    return (await response.json()) as TokenSet
  },
})

// openapi-fetch hands every request to this fetch, which can replay it after a refresh
// (a middleware cannot: it never sees the request again).
const client = createClient<paths>({
  baseUrl: API_URL,
  fetch: createFetch(auth, { allowedOrigins: [API_URL] }),
})

const credentials = { email: 'demo@retoken.dev', password: 'password123' }
const login = await createClient<paths>({ baseUrl: API_URL }).POST('/auth/login', {
  body: credentials,
})
if (!login.data) throw new Error('login failed')
await auth.setTokens(login.data)

const { data, error } = await client.GET('/api/orders')
if (error) throw new Error('orders failed')
console.log(data.orders)
