// Scenario 2: a burst of requests whose token the server, not the client, has seen
// expire (its clock moved 61 s into a 60 s token): every one gets a 401.
import { createAuthServer } from '@retoken/mock-server'
import { axiosAuthRefresh, axiosJwt, retokenAxios, retokenFetch } from './clients'
import { serverNetwork } from './network'

export interface BurstRow {
  name: string
  succeeded: number
  failed: number
  refreshCalls: number
  expiredArrivals: number
  apiRequests: number
  reuseDetections: number
  ms: number
}

type Send = () => Promise<unknown>

/** `count` concurrent requests with a token the server refuses, for each library. */
export async function burst(count: number) {
  const server = createAuthServer({
    baseUrl: 'http://bench.test',
    accessTokenTtl: 60,
    rateLimit: { limit: 1_000_000, windowSeconds: 60 },
  })
  const net = serverNetwork(server)
  const url = `${net.baseURL}/api/echo`
  const libraries: Array<
    [
      string,
      (
        session: Awaited<ReturnType<typeof server.issueTokens>>,
      ) => Promise<{ send: Send; dispose(): void }>,
    ]
  > = [
    [
      'retoken (axios)',
      async (s) => {
        const { api, auth } = await retokenAxios(net, s)
        return { send: () => api.get('/api/echo'), dispose: () => auth.destroy() }
      },
    ],
    [
      'retoken (fetch)',
      async (s) => {
        const { fetch, auth } = await retokenFetch(net, s)
        const send = async () => {
          const response = await fetch(url)
          if (!response.ok) throw new Error(`HTTP ${response.status}`)
          return response.json()
        }
        return { send, dispose: () => auth.destroy() }
      },
    ],
    [
      'axios-auth-refresh',
      async (s) => {
        const api = axiosAuthRefresh(net, s)
        return { send: () => api.get('/api/echo'), dispose() {} }
      },
    ],
    [
      'axios-jwt',
      async (s) => {
        const api = await axiosJwt(net, s)
        return { send: () => api.get('/api/echo'), dispose() {} }
      },
    ],
  ]

  const rows: BurstRow[] = []
  for (const [name, create] of libraries) {
    server.reset()
    const client = await create(await server.issueTokens())
    server.clock.setOffset(61)
    const started = performance.now()
    const results = await Promise.allSettled(Array.from({ length: count }, () => client.send()))
    const ms = performance.now() - started
    client.dispose()
    const succeeded = results.filter((r) => r.status === 'fulfilled').length
    rows.push({
      name,
      succeeded,
      failed: count - succeeded,
      refreshCalls: server.counters.refreshCalls,
      expiredArrivals: server.counters.expiredTokenRequests,
      apiRequests: server.counters.requestsByRoute['GET /api/echo'] ?? 0,
      reuseDetections: server.counters.reuseDetections,
      ms,
    })
  }
  const problems = rows
    .filter((r) => r.name.startsWith('retoken') && (r.refreshCalls !== 1 || r.failed > 0))
    .map(
      (r) =>
        `burst: ${r.name} made ${r.refreshCalls} refresh calls and failed ${r.failed} of ${count}`,
    )
  return { rows, problems }
}
