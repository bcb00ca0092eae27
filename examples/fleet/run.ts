// Runs N worker processes and two instances of a backend-for-frontend, all sharing
// their sessions through Redis, against the mock auth server (rotation on, reuse
// detection on, no grace), then prints what the server counted.
//
//   REDIS_URL=redis://127.0.0.1:6379 pnpm --filter @retoken/example-fleet start
//
// Without REDIS_URL it starts a `redis-server` of its own (apt-get install redis-server).
import { type ChildProcess, fork, spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAuth } from '@retoken/core'
import { startHttpServer } from '@retoken/mock-server/node'
import { redisStorage } from '@retoken/redis'
import { Redis } from 'ioredis'

const WORKERS = Number(process.env.WORKERS ?? 6)
const EXPIRIES = 5
const here = (file: string) => new URL(file, import.meta.url).pathname

const mock = await startHttpServer({ port: 0, accessTokenTtl: 60 })
const redis = process.env.REDIS_URL ? null : await startRedisServer()
const env = { ...process.env, API_URL: mock.url, REDIS_URL: process.env.REDIS_URL ?? redis!.url }
const children: ChildProcess[] = []
const start = (file: string) => {
  const child = fork(here(file), [], {
    execArgv: ['--import', 'tsx', '--conditions=@retoken/source'],
    env,
  })
  children.push(child)
  return child
}
const reply = <T>(child: ChildProcess) =>
  new Promise<T>((resolve) => child.once('message', resolve))
let offset = 0
// the server's clock moves past the access token's life: every process meets a 401
const expire = () => {
  offset += 61
  mock.server.clock.setOffset(offset)
}
let failed = 0

try {
  // the workers: one logs in through the API, the rest find the session in Redis
  const login = await fetch(`${mock.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'demo@retoken.dev', password: 'password123' }),
  })
  const tokens = await login.json()
  // an operator (or a deploy step) puts the service's session in Redis once
  const seedRedis = new Redis(env.REDIS_URL)
  const seed = createAuth({
    refresh: async () => tokens,
    storage: redisStorage(seedRedis, { key: 'orders-worker' }),
  })
  await seed.restore()
  await seed.setTokens(tokens)
  seed.destroy()
  seedRedis.disconnect()
  const workers = Array.from({ length: WORKERS }, () => start('worker.ts'))
  await Promise.all(workers.map((w) => reply(w)))
  for (let round = 0; round < EXPIRIES; round++) {
    expire()
    const reports = await Promise.all(
      workers.map((w) => {
        const answer = reply<{ failed: number }>(w)
        w.send(5)
        return answer
      }),
    )
    failed += reports.reduce((sum, r) => sum + r.failed, 0)
  }
  const workerRefreshes = mock.server.counters.refreshCalls

  // the backend-for-frontend: log in through instance A, be served by A and B at once
  const instances = [start('bff.ts'), start('bff.ts')]
  const ports = await Promise.all(instances.map((i) => reply<{ port: number }>(i)))
  const [a, b] = ports.map(({ port }) => `http://127.0.0.1:${port}`)
  const loggedIn = await fetch(`${a}/login`, { method: 'POST' })
  const cookie = loggedIn.headers.get('set-cookie')!.split(';')[0]!
  for (let round = 0; round < EXPIRIES; round++) {
    expire()
    const answers = await Promise.all(
      [a, b, a, b].map((base) => fetch(`${base}/orders`, { headers: { cookie } })),
    )
    failed += answers.filter((r) => !r.ok).length
  }

  const counts = {
    workers: WORKERS,
    expiries: EXPIRIES,
    'worker refresh calls': workerRefreshes,
    'bff refresh calls': mock.server.counters.refreshCalls - workerRefreshes,
    'reuse detections': mock.server.counters.reuseDetections,
    'failed requests': failed,
  }
  console.table(counts)
  const right =
    workerRefreshes === EXPIRIES &&
    counts['bff refresh calls'] === EXPIRIES &&
    counts['reuse detections'] === 0 &&
    failed === 0
  console.log(right ? 'one refresh per expiry, no reuse, no failed request' : 'UNEXPECTED COUNTS')
  process.exitCode = right ? 0 : 1
} finally {
  for (const child of children) child.kill('SIGTERM')
  await mock.close()
  redis?.child.kill('SIGTERM')
}

async function startRedisServer() {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
  const dir = mkdtempSync(join(tmpdir(), 'retoken-fleet-'))
  const child = spawn('redis-server', ['--port', String(port), '--save', '', '--dir', dir], {
    stdio: 'ignore',
  })
  const probe = new Redis(`redis://127.0.0.1:${port}`, {
    retryStrategy: (times) => (times > 50 ? null : 50),
  })
  await probe.ping()
  probe.disconnect()
  return { child, url: `redis://127.0.0.1:${port}` }
}
