/**
 * The part of a Redis client retoken uses, so that ioredis and node-redis (v4, v5)
 * both fit without retoken depending on either: each has a way to send a raw
 * command, to duplicate itself (for the subscriber connection) and to subscribe.
 */

/** An ioredis client (`new Redis(...)`), as far as retoken uses it. */
export interface IoRedisLike {
  call(command: string, ...args: (string | number)[]): Promise<unknown>
  duplicate(): IoRedisLike
  subscribe(...channels: string[]): Promise<unknown>
  unsubscribe(...channels: string[]): Promise<unknown>
  on(event: 'message', listener: (channel: string, message: string) => void): unknown
  on(event: 'ready', listener: () => void): unknown
  on(event: 'error', listener: (error: unknown) => void): unknown
  quit(): Promise<unknown>
}

/** A node-redis client (`createClient(...)`, connected), as far as retoken uses it. */
export interface NodeRedisLike {
  sendCommand(args: string[]): Promise<unknown>
  duplicate(): NodeRedisLike
  connect(): Promise<unknown>
  subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<unknown>
  unsubscribe(channel: string): Promise<unknown>
  on(event: 'ready', listener: () => void): unknown
  on(event: 'error', listener: (error: unknown) => void): unknown
  quit?(): Promise<unknown>
  close?(): Promise<unknown>
}

/** Either client. */
export type RedisClientLike = IoRedisLike | NodeRedisLike

/** What the storage needs: commands on the client, messages on a second connection. */
export interface RedisConnection {
  command(args: (string | number)[]): Promise<unknown>
  /** Listens to `channel` on a subscriber connection shared by every storage on this client. */
  listen(channel: string, onMessage: () => void): () => void
}

// ioredis has a sendCommand too (taking its own Command objects): `call` tells them apart
const isNodeRedis = (client: RedisClientLike): client is NodeRedisLike =>
  typeof (client as IoRedisLike).call !== 'function'

const connections = new WeakMap<object, RedisConnection>()

/**
 * One connection per client: every `redisStorage` on it shares one subscriber
 * connection, so a backend with 10,000 sessions holds two connections, not 10,001.
 */
export function connectionOf(client: RedisClientLike): RedisConnection {
  let connection = connections.get(client)
  if (!connection) {
    connection = createConnection(client)
    connections.set(client, connection)
  }
  return connection
}

function createConnection(client: RedisClientLike): RedisConnection {
  const command = isNodeRedis(client)
    ? (args: (string | number)[]) => client.sendCommand(args.map(String))
    : (args: (string | number)[]) => client.call(String(args[0]), ...args.slice(1))
  const listeners = new Map<string, Set<() => void>>()
  let subscriber: Promise<RedisClientLike> | null = null

  const deliver = (channel: string) => {
    for (const listener of [...(listeners.get(channel) ?? [])]) listener()
  }
  // after a reconnect, changes may have been missed: every listener looks again
  const deliverAll = () => {
    for (const channel of listeners.keys()) deliver(channel)
  }

  function openSubscriber(): Promise<RedisClientLike> {
    subscriber ??= (async () => {
      const sub = client.duplicate()
      // the subscriber reconnects by itself; its errors are the client's to report
      sub.on('error', () => {})
      if (isNodeRedis(sub)) {
        await sub.connect()
      } else {
        sub.on('message', (channel: string) => deliver(channel))
      }
      // after a (re)connect changes may have been missed, and ioredis drops a SUBSCRIBE
      // that failed while it was down: subscribe again (idempotent), then look again
      sub.on('ready', () => {
        if (!isNodeRedis(sub) && listeners.size > 0) {
          sub.subscribe(...listeners.keys()).catch(() => {})
        }
        deliverAll()
      })
      return sub
    })()
    return subscriber
  }

  async function subscribe(channel: string) {
    const sub = await openSubscriber()
    if (isNodeRedis(sub)) await sub.subscribe(channel, () => deliver(channel))
    else await sub.subscribe(channel)
  }

  async function unsubscribeOrClose(channel: string) {
    const sub = await openSubscriber()
    await sub.unsubscribe(channel)
    if (listeners.size > 0) return
    subscriber = null
    const closing = sub as NodeRedisLike & IoRedisLike
    await (closing.quit ? closing.quit() : closing.close?.())
  }

  return {
    command,
    listen(channel, onMessage) {
      let set = listeners.get(channel)
      if (!set) {
        set = new Set()
        listeners.set(channel, set)
        // a change written between the storage's first read and the subscription would
        // be missed: once subscribed, every listener looks again
        subscribe(channel).then(
          () => deliver(channel),
          () => {},
        )
      }
      set.add(onMessage)
      return () => {
        const current = listeners.get(channel)
        if (!current?.delete(onMessage) || current.size > 0) return
        listeners.delete(channel)
        unsubscribeOrClose(channel).catch(() => {})
      }
    },
  }
}
