// One instance of a backend-for-frontend: browsers hold only a session cookie; the
// tokens of each user live in Redis under that session's id, so any instance can
// serve any user, and the instances refresh a user's tokens once between them.
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import { type Auth, createAuth } from '@retoken/core'
import { redisStorage } from '@retoken/redis'
import axios, { type AxiosInstance } from 'axios'
import { Redis } from 'ioredis'

const API_URL = process.env.API_URL!
const redis = new Redis(process.env.REDIS_URL!)
// one createAuth per user session this instance has served; destroy() when it ends
const sessions = new Map<string, { auth: Auth; api: AxiosInstance }>()

async function sessionFor(id: string) {
  let session = sessions.get(id)
  if (!session) {
    const auth = createAuth({
      refresh: async ({ refreshToken, signal }) =>
        (await axios.post(`${API_URL}/auth/refresh`, { refreshToken }, { signal })).data,
      storage: redisStorage(redis, { key: `bff-session:${id}` }),
    })
    const api = axios.create({ baseURL: API_URL })
    auth.attach(api)
    await auth.restore()
    session = { auth, api }
    sessions.set(id, session)
  }
  return session
}

const server = createServer(async (req, res) => {
  const id = /sid=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1]
  try {
    if (req.method === 'POST' && req.url === '/login') {
      const sid = randomUUID()
      const credentials = { email: 'demo@retoken.dev', password: 'password123' }
      const { auth, api } = await sessionFor(sid)
      const { data } = await api.post('/auth/login', credentials, { skipAuth: true })
      await auth.setTokens(data)
      res.writeHead(204, { 'set-cookie': `sid=${sid}; HttpOnly; SameSite=Lax; Path=/` }).end()
      return
    }
    if (req.method === 'GET' && req.url === '/orders' && id) {
      const { api } = await sessionFor(id)
      const { data } = await api.get('/api/orders')
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(data))
      return
    }
    res.writeHead(404).end()
  } catch {
    res.writeHead(502).end()
  }
})
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number }
  process.send?.({ port })
})
process.on('SIGTERM', () => {
  for (const { auth } of sessions.values()) auth.destroy()
  redis.disconnect()
  server.close(() => process.exit(0))
})
