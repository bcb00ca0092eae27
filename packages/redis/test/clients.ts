import { Redis } from 'ioredis'
import { createClient } from 'redis'
import type { RedisClientLike } from '../src/index'

/** The two clients retoken supports, each made the way its README shows. */
export type Flavour = 'ioredis' | 'node-redis'

/** A connected client of `flavour`; `close()` ends it. */
export async function connectClient(
  flavour: Flavour,
  url: string,
): Promise<{ client: RedisClientLike; close(): Promise<void> }> {
  if (flavour === 'ioredis') {
    // fail a command after one reconnect attempt instead of queueing it while Redis is away
    const client = new Redis(url, { maxRetriesPerRequest: 1 })
    client.on('error', () => {})
    return {
      client,
      close: async () => {
        client.disconnect()
      },
    }
  }
  const client = createClient({ url })
  client.on('error', () => {})
  await client.connect()
  return {
    client: client as unknown as RedisClientLike,
    close: async () => {
      await client.close().catch(() => {})
    },
  }
}
