// Scenario 5: steady traffic (one request a second) for a simulated hour with 60 s
// tokens, against the mock server. Time is simulated (see fakeTime.ts): retoken gets it
// through `now`, the mock server through its injected clock, autoRefresh() and axios-jwt
// through the replaced globals. Nothing sleeps; every request and refresh really runs.
import { autoRefresh } from '@retoken/core'
import { createAuthServer, type IssuedSession } from '@retoken/mock-server'
import { axiosAuthRefresh, axiosJwt, retokenAxios, retokenFetch } from './clients'
import { type FakeTime, installFakeTime } from './fakeTime'
import { tick, until } from './measure'
import { serverNetwork } from './network'

export interface HourRow {
  name: string
  requests: number
  failed: number
  expiredSent: number
  refreshCalls: number
  waited: number
}

type Client = { send(): Promise<unknown>; dispose(): void }
type Factory = (session: IssuedSession, now: () => number) => Promise<Client>

export async function hour(seconds: number) {
  let time: FakeTime | null = null
  const now = () => time?.now() ?? Date.now()
  const server = createAuthServer({
    baseUrl: 'http://hour.test',
    accessTokenTtl: 60,
    now,
    rateLimit: { limit: 1_000_000, windowSeconds: 60 },
  })
  const net = serverNetwork(server)
  const fetchJson = (fetch: (url: string) => Promise<Response>) => async () => {
    const response = await fetch(`${net.baseURL}/api/echo`)
    if (!response.ok) throw new Error(`HTTP ${response.status}`)
    return response.json()
  }
  const retokenA =
    (auto: boolean): Factory =>
    async (s, clock) => {
      const { api, auth } = await retokenAxios(net, s, {
        now: clock,
        ...(auto ? { autoRefresh: autoRefresh() } : {}),
      })
      return { send: () => api.get('/api/echo'), dispose: () => auth.destroy() }
    }
  const retokenF =
    (auto: boolean): Factory =>
    async (s, clock) => {
      const { fetch, auth } = await retokenFetch(net, s, {
        now: clock,
        ...(auto ? { autoRefresh: autoRefresh() } : {}),
      })
      return { send: fetchJson(fetch), dispose: () => auth.destroy() }
    }
  const clients: Array<[string, Factory]> = [
    ['retoken (axios)', retokenA(false)],
    ['retoken (axios) + autoRefresh()', retokenA(true)],
    ['retoken (fetch)', retokenF(false)],
    ['retoken (fetch) + autoRefresh()', retokenF(true)],
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
  // after a timer fires, let the refresh it started reach the server and come back
  const settle = async () => {
    await tick()
    await until(() => !net.refreshing(), 'the refresh to finish')
    for (let i = 0; i < 5; i++) await tick()
  }

  const rows: HourRow[] = []
  for (const [name, create] of clients) {
    const start = Date.UTC(2026, 0, 1)
    time = installFakeTime(start)
    try {
      server.reset()
      const client = await create(await server.issueTokens(), now)
      let failed = 0
      let waited = 0
      for (let s = 1; s <= seconds; s++) {
        await time.advanceTo(start + s * 1000, settle)
        const refreshesBefore = net.refreshCalls()
        const refreshing = net.refreshing()
        const ok = await client.send().then(
          () => true,
          () => false,
        )
        if (!ok) failed += 1
        if (refreshing || net.refreshCalls() > refreshesBefore) waited += 1
      }
      client.dispose()
      rows.push({
        name,
        requests: seconds,
        failed,
        expiredSent: server.counters.expiredTokenRequests,
        refreshCalls: server.counters.refreshCalls,
        waited,
      })
    } finally {
      time.restore()
      time = null
    }
  }
  const problems: string[] = []
  for (const row of rows.filter((r) => r.name.startsWith('retoken'))) {
    if (row.failed > 0 || row.expiredSent > 0)
      problems.push(
        `hour: ${row.name} failed ${row.failed} and sent ${row.expiredSent} expired tokens`,
      )
    if (row.name.includes('autoRefresh') && row.waited > 0)
      problems.push(`hour: ${row.name} made ${row.waited} requests wait`)
    if (row.refreshCalls === 0) problems.push(`hour: ${row.name} never refreshed`)
  }
  return { rows, problems }
}
