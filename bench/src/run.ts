// `pnpm bench`: retoken beside axios-auth-refresh and axios-jwt, all against the mock
// auth server through msw/node. Counts are exact; times are for this machine only.
import { writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { createAuthServer } from '@retoken/mock-server'
import { setupServer } from 'msw/node'
import { Bench } from 'tinybench'
import { API, clients } from './clients'
import { aboutToExpire, expiredOnServer, type Outcome } from './scenarios'

// the server's clock is bound to the real Date.now, so scenarios can move the clients' clock
const realNow = Date.now.bind(Date)
const server = createAuthServer({
  baseUrl: API,
  accessTokenTtl: 60,
  now: realNow,
  rateLimit: { limit: 1e6, windowSeconds: 60 },
})
const network = setupServer(...server.handlers)
network.listen({ onUnhandledRequest: 'error' })

const lines: string[] = [
  '# Benchmarks',
  '',
  `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), ${new Date().toISOString().slice(0, 10)}.`,
  'Every library talks to the same mock auth server through msw/node; each is set up as its README shows.',
  '',
]

const scenarios = [
  ['100 concurrent requests, token expired on the server (401 path)', expiredOnServer],
  [
    '100 concurrent requests, token about to expire on the client clock (proactive path)',
    aboutToExpire,
  ],
] as const

for (const [title, scenario] of scenarios) {
  lines.push(`## ${title}`, '')
  lines.push(
    '| library | succeeded | failed | refresh calls | expired-token arrivals | requests to the API | ms |',
  )
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const factory of clients) {
    server.reset()
    const o: Outcome = await scenario(server, factory)
    lines.push(
      `| ${factory.name} | ${o.succeeded} | ${o.failed} | ${o.refreshCalls} | ${o.expiredTokenArrivals} | ${o.serverRequests} | ${o.ms.toFixed(0)} |`,
    )
  }
  lines.push('')
}

// Steady state: one request at a time with a valid token, the cost of each interceptor.
server.reset()
const bench = new Bench({ time: 2_000, warmupTime: 500 })
const session = await server.issueTokens()
const plain = (await import('axios')).default.create({
  baseURL: API,
  headers: { Authorization: `Bearer ${session.accessToken}` },
})
bench.add('axios, no interceptor', async () => {
  await plain.get('/api/echo')
})
for (const factory of clients) {
  const client = await factory.create(session)
  bench.add(factory.name, async () => {
    await client.api.get('/api/echo')
  })
}
await bench.run()
lines.push('## One request at a time with a valid token (requests per second)', '')
lines.push('| client | req/s | ± % |', '| --- | ---: | ---: |')
for (const task of bench.tasks) {
  const result = task.result as { throughput?: { mean: number; rme: number } } | undefined
  const mean = result?.throughput?.mean ?? 0
  lines.push(`| ${task.name} | ${mean.toFixed(0)} | ${(result?.throughput?.rme ?? 0).toFixed(1)} |`)
}
lines.push(
  '',
  'The mock server (signature checks, msw) dominates these times; the differences are what the interceptors add.',
)

network.close()
const report = `${lines.join('\n')}\n`
writeFileSync(new URL('../RESULTS.md', import.meta.url), report)
console.log(report)
