import { createAuth } from '@retoken/core'
import { redisStorage } from '@retoken/redis'
import axios from 'axios'
import { Redis } from 'ioredis'

const API_URL = process.env.API_URL ?? 'https://api.example.com' // your API
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')

const auth = createAuth({
  refresh: async ({ refreshToken, signal }) =>
    (await axios.post(`${API_URL}/auth/refresh`, { refreshToken }, { signal })).data,
  // Every process and machine that names this key shares one session, refreshed
  // once per expiry for all of them. Name the session, never use a token as the key.
  storage: redisStorage(redis, { key: 'orders-worker' }),
})
const api = axios.create({ baseURL: API_URL })
auth.attach(api)

// The first process logs in; every other one finds the session in Redis.
const { status } = await auth.restore()
if (status === 'unauthenticated') {
  const credentials = { email: 'demo@retoken.dev', password: 'password123' }
  const { data: tokens } = await api.post('/auth/login', credentials, { skipAuth: true })
  await auth.setTokens(tokens)
}

const { data: orders } = await api.get('/api/orders')
console.log(orders)

auth.destroy()
redis.disconnect()
