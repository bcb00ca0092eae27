import {
  InvalidOptionsError,
  parseSharedRecord,
  type SharedStore,
  sharedStorage,
  type TokenStorage,
} from '@retoken/core'
import { connectionOf, type RedisClientLike } from './client'
import { redisLock } from './redisLock'
import { WRITE_IF_VERSION } from './scripts'

/** Options of {@link redisStorage}. */
export interface RedisStorageOptions {
  /**
   * Names the session: a service account (`'billing-api'`) or, in a
   * backend-for-frontend, the user's session id. Never a token: a JWT-shaped key is refused.
   */
  key: string
  /** Prefix of every Redis key and channel. @default 'retoken' */
  prefix?: string
  /** Seconds the stored session lives after its last write; `0` keeps it. @default 0 */
  ttl?: number
  /**
   * Encrypts what is stored (the tokens) before it reaches Redis; pair with `decrypt`.
   * @example encrypt: (text) => seal(text, key)
   */
  encrypt?: (plaintext: string) => string | Promise<string>
  /** Decrypts what `encrypt` made. */
  decrypt?: (ciphertext: string) => string | Promise<string>
  /** Milliseconds a Redis command may take before it counts as failed. @default 5000 */
  commandTimeout?: number
}

const JWT_SHAPE = /^[\w-]{8,}\.[\w-]{8,}\.[\w-]*$/

/**
 * A session kept in Redis and shared by every process and machine that names the
 * same `key`: one refresh per expiry across all of them (a lock, a conditional write
 * fenced on the claimed token, a ledger of spent refresh tokens), logins and logouts
 * followed over pub/sub. Works with ioredis and node-redis; the client stays yours.
 * @example createAuth({ refresh, storage: redisStorage(redis, { key: 'billing-api' }) })
 */
export function redisStorage(client: RedisClientLike, options: RedisStorageOptions): TokenStorage {
  return sharedStorage(redisStore(client, options))
}

/** The {@link SharedStore} behind {@link redisStorage}, for wrapping or testing. */
export function redisStore(client: RedisClientLike, options: RedisStorageOptions): SharedStore {
  const { key, prefix = 'retoken', ttl = 0, commandTimeout = 5_000 } = options
  if (typeof key !== 'string' || key.length === 0) {
    throw new InvalidOptionsError('key', 'name the session with a non-empty string')
  }
  if (JWT_SHAPE.test(key)) {
    throw new InvalidOptionsError('key', 'looks like a token: name the session, never use a token')
  }
  if ((options.encrypt === undefined) !== (options.decrypt === undefined)) {
    throw new InvalidOptionsError('encrypt', 'pass encrypt and decrypt together')
  }
  const connection = connectionOf(client)
  // the braces keep a session's keys in one cluster slot, as scripts need
  const base = `${prefix}:{${key}}`
  const names = {
    record: `${base}:session`,
    lock: `${base}:lock`,
    changed: `${base}:changed`,
    released: `${base}:released`,
  }
  const command = (args: (string | number)[]) =>
    withTimeout(connection.command(args), commandTimeout)
  const encrypt = options.encrypt ?? ((text: string) => text)
  const decrypt = options.decrypt ?? ((text: string) => text)
  const decode = async (data: unknown) =>
    typeof data === 'string' && data.length > 0
      ? parseSharedRecord(JSON.parse(await decrypt(data)))
      : null

  return {
    id: `redis:${base}`,
    async read() {
      const [, data] = (await command(['HMGET', names.record, 'v', 'd'])) as [unknown, unknown]
      return decode(data)
    },
    async write(next) {
      const data = await encrypt(JSON.stringify(next))
      const args = [next.version - 1, data, names.changed, ttl * 1000]
      const reply = (await command(['EVAL', WRITE_IF_VERSION, 1, names.record, ...args])) as [
        number,
        unknown?,
        unknown?,
      ]
      if (Number(reply[0]) === 1) return { written: true }
      return { written: false, current: await decode(reply[2]) }
    },
    lock: redisLock(command, connection, names),
    subscribe: (onChange) => connection.listen(names.changed, onChange),
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms)
    promise.then(resolve, reject).finally(() => clearTimeout(timer))
  })
}
