import { storageTestSuite } from '@retoken/storage-test-suite'
import { afterAll, beforeAll, describe } from 'vitest'
import { redisStore } from '../src/index'
import { connectClient, type Flavour } from './clients'
import { REDIS_SERVER, type RedisServer, startRedis } from './redisServer'

describe.skipIf(!REDIS_SERVER)('redisStorage on a real redis-server', () => {
  let redis: RedisServer
  const closers: (() => Promise<void>)[] = []
  beforeAll(async () => {
    redis = await startRedis()
  })
  afterAll(async () => {
    await Promise.all(closers.map((close) => close()))
    await redis?.stop()
  })

  // each client of the suite is another process: its own connection to the server
  const factory = (flavour: Flavour) => async (name: string) => {
    const { client, close } = await connectClient(flavour, redis.url)
    closers.push(close)
    return redisStore(client, { key: name })
  }

  storageTestSuite('redisStorage with ioredis', factory('ioredis'))
  storageTestSuite('redisStorage with node-redis', factory('node-redis'))
})
