// A worker process: its own createAuth on the shared session "orders-worker".
// The parent tells it to send a burst of requests and reads what happened.
import { createAuth } from '@retoken/core'
import { redisStorage } from '@retoken/redis'
import axios from 'axios'
import { Redis } from 'ioredis'

const API_URL = process.env.API_URL!
const redis = new Redis(process.env.REDIS_URL!)

const auth = createAuth({
  refresh: async ({ refreshToken, signal }) =>
    (await axios.post(`${API_URL}/auth/refresh`, { refreshToken }, { signal })).data,
  storage: redisStorage(redis, { key: 'orders-worker' }),
})
const api = axios.create({ baseURL: API_URL })
auth.attach(api)
await auth.restore()

process.on('message', async (count: number) => {
  const results = await Promise.allSettled(
    Array.from({ length: count }, () => api.get('/api/orders')),
  )
  process.send?.({ failed: results.filter((r) => r.status === 'rejected').length })
})
process.on('SIGTERM', () => {
  auth.destroy()
  redis.disconnect()
  process.exit(0)
})
process.send?.('ready')
