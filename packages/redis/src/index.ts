export type { IoRedisLike, NodeRedisLike, RedisClientLike } from './client'
export { type RedisStorageOptions, redisStorage, redisStore } from './redisStorage'
