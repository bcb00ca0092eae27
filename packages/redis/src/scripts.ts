// The Lua the storage runs. Each is one atomic step on the primary: Redis runs a
// script to the end before any other command.

/**
 * The conditional write. KEYS[1] the record (a hash: v = version, d = data),
 * ARGV: expected version, new data, channel, TTL in ms (0: none). Returns
 * {1} when written, else {0, version, data} as stored now.
 */
export const WRITE_IF_VERSION = `
local stored = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if stored ~= tonumber(ARGV[1]) then
  return {0, stored, redis.call('HGET', KEYS[1], 'd') or ''}
end
redis.call('HSET', KEYS[1], 'v', stored + 1, 'd', ARGV[2])
if tonumber(ARGV[4]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
redis.call('PUBLISH', ARGV[3], stored + 1)
return {1}
`

/** Releases the lock only if this owner holds it (KEYS[1] lock, ARGV owner, channel), then wakes waiters. */
export const RELEASE_IF_OWNER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], 'released')
  return 1
end
return 0
`

/** Extends the lock only if this owner still holds it (KEYS[1] lock, ARGV owner, lease ms). */
export const EXTEND_IF_OWNER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`
