// The storage each fleet process opens: its own Redis connection (the URL and the
// client come from the environment the test gives the process).
import { redisStore } from '../src/index'
import { connectClient, type Flavour } from './clients'

export async function createStorage(name: string) {
  const flavour = (process.env.RETOKEN_REDIS_CLIENT ?? 'ioredis') as Flavour
  const { client } = await connectClient(flavour, process.env.RETOKEN_REDIS_URL ?? '')
  return redisStore(client, { key: name })
}
