// Runs the mock auth server over HTTP: `pnpm mock-server [--port 4010]` or `PORT=4010`.
import { parseArgs } from 'node:util'
import { demoUser } from './createAuthServer'
import { startHttpServer } from './node'

const { values } = parseArgs({
  // pnpm may forward a bare `--` before the flags
  allowPositionals: true,
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'access-ttl': { type: 'string' },
    'refresh-ttl': { type: 'string' },
    'refresh-cookie': { type: 'boolean' },
  },
})

const number = (value: string | undefined, fallback: number) => {
  if (value === undefined) return fallback
  const parsed = Number(value)
  if (!Number.isFinite(parsed) || parsed < 0) {
    console.error(`Not a number: ${value}`)
    process.exit(1)
  }
  return parsed
}

const host = values.host ?? '127.0.0.1'
const running = await startHttpServer({
  port: number(values.port ?? process.env.PORT, 4010),
  host,
  accessTokenTtl: number(values['access-ttl'], 30),
  refreshTokenTtl: number(values['refresh-ttl'], 3600),
  refreshTokenCookie: values['refresh-cookie'] ?? false,
})
// a loopback bind is announced as localhost, the name browsers and the docs use
const url = ['127.0.0.1', 'localhost'].includes(host)
  ? running.url.replace(host, 'localhost')
  : running.url
const { accessTokenTtl, refreshTokenTtl } = running.server.options

console.log(`retoken mock auth server on ${url}`)
console.log(`  demo user: ${demoUser.email} / ${demoUser.password}`)
console.log(`  access tokens live ${accessTokenTtl} s, sessions ${refreshTokenTtl} s`)
console.log(`  curl -s -X POST ${url}/auth/login -H 'Content-Type: application/json' \\`)
console.log(`    -d '{"email":"${demoUser.email}","password":"${demoUser.password}"}'`)
console.log('  press Ctrl+C to stop')

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void running.close().then(() => process.exit(0))
  })
}
