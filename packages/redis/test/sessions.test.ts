import { createAuth } from '@retoken/core'
import { useMockAuthServer } from '@retoken/mock-server/vitest'
import axios from 'axios'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { redisStorage, redisStore } from '../src/index'
import { REDIS_SERVER, type RedisServer, startRedis } from './redisServer'

const API = 'http://api.test'
const refresh = async ({
  refreshToken,
  signal,
}: {
  refreshToken: string | null
  signal: AbortSignal
}) => (await axios.post(`${API}/auth/refresh`, { refreshToken }, { signal })).data

describe.skipIf(!REDIS_SERVER)('redisStorage in one process', () => {
  const { server } = useMockAuthServer({ baseUrl: API, accessTokenTtl: 60 })
  let redis: RedisServer
  let client: Redis
  let admin: Redis
  beforeAll(async () => {
    redis = await startRedis()
    client = new Redis(redis.url)
    admin = new Redis(redis.url)
  })
  afterAll(async () => {
    client?.disconnect()
    admin?.disconnect()
    await redis?.stop()
  })

  const commandsSince = async () => {
    const info = (await admin.info('commandstats')) as string
    return [...info.matchAll(/cmdstat_([\w|]+):calls=(\d+)/g)]
      .map(([, name, calls]) => [name, Number(calls)] as const)
      .filter(([name]) => !/^(config|info|client)/.test(name!))
  }

  it('should send requests with a fresh token without a single Redis command', async () => {
    const auth = createAuth({ refresh, storage: redisStorage(client, { key: 'fast-path' }) })
    const api = axios.create({ baseURL: API })
    auth.attach(api)
    await auth.restore()
    await auth.setTokens(await server.issueTokens())
    await admin.config('RESETSTAT')
    for (let i = 0; i < 100; i++) await api.get('/api/orders')
    expect(await commandsSince()).toEqual([])
    auth.destroy()
  })

  it('should name keys after the session, never a token, and refuse a token as a name', async () => {
    const tokens = await server.issueTokens()
    const auth = createAuth({ refresh, storage: redisStorage(client, { key: 'svc-billing' }) })
    await auth.restore()
    await auth.setTokens(tokens)
    const keys = await admin.keys('*')
    expect(keys.some((key) => key.includes('svc-billing'))).toBe(true)
    for (const key of keys) {
      expect(key).not.toContain(tokens.refreshToken)
      expect(key).not.toContain(tokens.accessToken)
    }
    expect(() => redisStorage(client, { key: tokens.refreshToken })).toThrow(/looks like a token/)
    expect(() => redisStorage(client, { key: '' })).toThrow(/non-empty/)
    auth.destroy()
  })

  it('should store only what encrypt() made, and read it back through decrypt()', async () => {
    const tokens = await server.issueTokens()
    // a reversible stand-in for a real cipher (AES-GCM with a key from a KMS, say)
    const encrypt = (text: string) =>
      Buffer.from(text).toString('base64').split('').reverse().join('')
    const decrypt = (text: string) =>
      Buffer.from(text.split('').reverse().join(''), 'base64').toString()
    const options = { key: 'sealed', encrypt, decrypt }
    const auth = createAuth({ refresh, storage: redisStorage(client, options) })
    await auth.restore()
    await auth.setTokens(tokens)
    const raw = await admin.hget('retoken:{sealed}:session', 'd')
    expect(raw).not.toContain(tokens.refreshToken)
    expect(raw).not.toContain('refreshToken')
    const again = createAuth({ refresh, storage: redisStorage(client, options) })
    expect((await again.restore()).accessToken).toBe(tokens.accessToken)
    expect(() => redisStore(client, { key: 'half', encrypt })).toThrow(/together/)
    auth.destroy()
    again.destroy()
  })

  it('should hold 10,000 sessions on two connections, with no timer per session, and let them all go', async () => {
    const connectionsBefore = Number(
      (await admin.info('clients')).match(/connected_clients:(\d+)/)![1],
    )
    const timers = () =>
      process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length
    const timersBefore = timers()
    const sessions = Array.from({ length: 10_000 }, (_, i) =>
      createAuth({ refresh, storage: redisStorage(client, { key: `user-session-${i}` }) }),
    )
    await Promise.all(sessions.map((auth) => auth.restore()))
    const channels = async () => (await admin.pubsub('CHANNELS', 'retoken:{user-session-*')).length
    await expect.poll(channels, { timeout: 20_000 }).toBe(10_000)
    const connections = Number((await admin.info('clients')).match(/connected_clients:(\d+)/)![1])
    // the client's own connection was there already; one subscriber connection for all sessions
    expect(connections - connectionsBefore).toBeLessThanOrEqual(1)
    // commands in flight have their timeout timer; at rest no session keeps one
    await expect.poll(timers, { timeout: 20_000 }).toBeLessThanOrEqual(timersBefore + 1)
    for (const auth of sessions) auth.destroy()
    await expect.poll(channels, { timeout: 20_000 }).toBe(0)
  })
})
