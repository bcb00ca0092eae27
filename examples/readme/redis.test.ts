// @vitest-environment node
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { type RunningHttpServer, startHttpServer } from '@retoken/mock-server/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REDIS_SERVER, type RedisServer, startRedis } from '../../packages/redis/test/redisServer'

const EXAMPLE = fileURLToPath(new URL('./redis.ts', import.meta.url))

/** Runs the README's Redis example as a process of its own, as a worker would run. */
function runExample(env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      'node',
      ['--import', 'tsx', '--conditions=@retoken/source', EXAMPLE],
      { env: { ...process.env, ...env }, cwd: fileURLToPath(new URL('.', import.meta.url)) },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    ),
  )
}

describe.skipIf(!REDIS_SERVER)('the README Redis example', () => {
  let redis: RedisServer
  let http: RunningHttpServer
  beforeAll(async () => {
    redis = await startRedis()
    http = await startHttpServer({ port: 0 })
  })
  afterAll(async () => {
    await http?.close()
    await redis?.stop()
  })

  it('should log in once, let the next process find the session, and refresh it once after expiry', async () => {
    const env = { API_URL: http.url, REDIS_URL: redis.url }
    expect(await runExample(env)).toContain('ord_1001')
    expect(await runExample(env)).toContain('ord_1001')
    const logins = () => http.server.counters.requestsByRoute['POST /auth/login']
    expect(logins()).toBe(1)
    http.server.clock.setOffset(http.server.options.accessTokenTtl + 1)
    const outputs = await Promise.all([runExample(env), runExample(env), runExample(env)])
    for (const output of outputs) expect(output).toContain('ord_1001')
    expect(logins()).toBe(1)
    expect(http.server.counters).toMatchObject({ refreshCalls: 1, reuseDetections: 0 })
  }, 60_000)
})
