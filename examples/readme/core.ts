import { createAuth, isSessionExpiredError } from '@retoken/core'
import axios from 'axios'

const API_URL = 'https://api.example.com' // your API

const api = axios.create({ baseURL: API_URL })

const auth = createAuth({
  // Your refresh call: a plain axios (or fetch) call, not `api`; pass `signal` on.
  refresh: async ({ refreshToken, signal }) => {
    const { data } = await axios.post(`${API_URL}/auth/refresh`, { refreshToken }, { signal })
    return data // { accessToken, refreshToken?, expiresIn? }
  },
})
auth.attach(api)

// In an app, send the user to your login page here.
auth.on('sessionExpired', () => console.log('Session over: log in again'))

// Your login call (the credentials come from your form); `skipAuth` sends no token.
const credentials = { email: 'demo@retoken.dev', password: 'password123' }
const { data: tokens } = await api.post('/auth/login', credentials, { skipAuth: true })
await auth.setTokens(tokens)

// From now on every request carries the token and survives its expiry.
const { data: orders } = await api.get('/api/orders')
console.log(orders)

// Where a call fails because the session is over:
try {
  await api.get('/api/orders')
} catch (error) {
  if (isSessionExpiredError(error)) console.log('Session over: log in again')
  else throw error
}
