import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Where Debian's `redis-server` lives, or `null` when it is not installed. */
export const REDIS_SERVER = (() => {
  try {
    return (
      execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || null
    )
  } catch {
    return null
  }
})()

// CI installs redis-server and requires these tests; a developer without it is told.
if (!REDIS_SERVER) {
  if (process.env.CI)
    throw new Error('redis-server is required in CI (apt-get install redis-server)')
  console.warn(
    '[retoken] redis-server not found: the Redis tests are skipped (apt-get install redis-server)',
  )
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** A running `redis-server` of the test's own: a free port, its own directory, no persistence. */
export interface RedisServer {
  readonly port: number
  readonly url: string
  /** Stops it at once (SIGKILL), as a crash would. */
  kill(): Promise<void>
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>
  stop(): Promise<void>
}

/** Starts `redis-server` and resolves once it answers PING. */
export async function startRedis(port?: number): Promise<RedisServer> {
  if (!REDIS_SERVER) throw new Error('redis-server is not installed')
  const dir = mkdtempSync(join(tmpdir(), 'retoken-redis-'))
  const chosen = port ?? (await freePort())
  let child: ChildProcess | null = null
  const launch = async () => {
    child = spawn(
      REDIS_SERVER!,
      [
        '--port',
        String(chosen),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
      ],
      { stdio: 'ignore' },
    )
    await waitForPing(chosen)
  }
  const halt = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      const running = child
      if (!running || running.exitCode !== null || running.signalCode !== null) return resolve()
      running.once('exit', () => resolve())
      running.kill(signal)
    })
  await launch()
  return {
    port: chosen,
    url: `redis://127.0.0.1:${chosen}`,
    kill: () => halt('SIGKILL'),
    restart: launch,
    async stop() {
      await halt('SIGTERM')
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

async function waitForPing(port: number, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await ping(port)) return
    if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not answer`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket()
    socket.setTimeout(500)
    socket.once('error', () => resolve(false))
    socket.once('timeout', () => {
      socket.destroy()
      resolve(false)
    })
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'))
    socket.once('data', (data) => {
      socket.destroy()
      resolve(data.toString().startsWith('+PONG'))
    })
  })
}
