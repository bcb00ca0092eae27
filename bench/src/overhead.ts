// Scenario 1: what each library adds to a request with a valid token. The network is
// an in-memory Axios adapter (and a fake fetch) answering JSON at once, or after 1 ms.
import { type AxiosAdapter, AxiosHeaders, type AxiosInstance } from 'axios'
import {
  axiosAuthRefresh,
  axiosJwt,
  bareAxios,
  floorAxios,
  retokenAxios,
  retokenFetch,
} from './clients'
import { type Contender, interleave } from './measure'
import { type FetchLike, type Network, REFRESH_PATH } from './network'
import type { Plan } from './plan'
import { tokenPair } from './tokens'

const BODY = JSON.stringify({ ok: true, items: [1, 2, 3] })
const HEADERS = { 'content-type': 'application/json' }

/** A network that answers every request 200 with JSON; it notes what a probe request carried. */
function staticNetwork(delayMs: number) {
  const seen = { probing: false, authorization: '', refreshCalls: 0 }
  const adapter: AxiosAdapter = (config) => {
    if (config.url?.endsWith(REFRESH_PATH)) seen.refreshCalls += 1
    if (seen.probing) seen.authorization = String(config.headers.Authorization ?? '')
    const response = {
      data: BODY,
      status: 200,
      statusText: 'OK',
      headers: new AxiosHeaders(HEADERS),
      config,
      request: {},
    }
    return delayMs > 0
      ? new Promise((resolve) => setTimeout(() => resolve(response), delayMs))
      : Promise.resolve(response)
  }
  const fetch: FetchLike = async (input, init) => {
    if (seen.probing) {
      seen.authorization =
        input instanceof Request
          ? (input.headers.get('authorization') ?? '')
          : String(new Headers(init?.headers).get('authorization') ?? '')
    }
    return new Response(BODY, { headers: HEADERS })
  }
  const net: Network = {
    baseURL: 'http://static.test',
    adapter,
    fetch,
    refreshCalls: () => seen.refreshCalls,
    refreshing: () => false,
  }
  return { net, seen }
}

export interface OverheadRow {
  group: string
  name: string
  us: number
  ratio: number
}

const axiosRun = (name: string, api: AxiosInstance): Contender => ({
  name,
  run: () => api.get('/api/items'),
})

/** Median µs per request and ratio to the bare client, for Axios (instant and 1 ms) and fetch. */
export async function overhead(plan: Plan['overhead']) {
  const rows: OverheadRow[] = []
  const problems: string[] = []
  const session = tokenPair(Date.now(), 86_400)
  const bearer = `Bearer ${session.accessToken}`

  const measure = async (
    group: string,
    contenders: Contender[],
    seen: { probing: boolean; authorization: string },
    rounds: number,
    perRound: number,
  ) => {
    for (const contender of contenders) {
      seen.probing = true
      seen.authorization = ''
      await contender.run()
      seen.probing = false
      const bare = contender.name.startsWith('bare')
      if (!bare && seen.authorization !== bearer)
        problems.push(`${group}: ${contender.name} sent no token`)
    }
    const us = await interleave(contenders, { rounds, perRound })
    const base = us.get(contenders[0]?.name ?? '') ?? Number.NaN
    for (const { name } of contenders)
      rows.push({
        group,
        name,
        us: us.get(name) ?? Number.NaN,
        ratio: (us.get(name) ?? Number.NaN) / base,
      })
  }

  for (const delayMs of [0, 1]) {
    const { net, seen } = staticNetwork(delayMs)
    const { api: retoken, auth } = await retokenAxios(net, session)
    const contenders = [
      axiosRun('bare axios', bareAxios(net)),
      axiosRun('floor (one-line interceptor)', floorAxios(net, session.accessToken)),
      axiosRun('axios-auth-refresh', axiosAuthRefresh(net, session)),
      axiosRun('axios-jwt', await axiosJwt(net, session)),
      axiosRun('retoken (auth.attach)', retoken),
    ]
    const group = delayMs === 0 ? 'axios, instant adapter' : 'axios, adapter answering after 1 ms'
    const rounds = delayMs === 0 ? plan.rounds : plan.delayedRounds
    const perRound = delayMs === 0 ? plan.perRound : plan.delayedPerRound
    await measure(group, contenders, seen, rounds, perRound)
    if (seen.refreshCalls > 0)
      problems.push(`${group}: ${seen.refreshCalls} refresh calls with a valid token`)
    auth.destroy()
  }

  const { net, seen } = staticNetwork(0)
  const { fetch: authFetch, auth } = await retokenFetch(net, session)
  const url = `${net.baseURL}/api/items`
  // what an app writes without a library: a fetch that adds the header to whatever it is given
  const wrapper = (input: string, init?: RequestInit) =>
    net.fetch(input, { ...init, headers: { ...init?.headers, Authorization: bearer } })
  await measure(
    'fetch, fake fetch answering at once',
    [
      { name: 'bare fetch', run: () => net.fetch(url).then((r) => r.json()) },
      {
        name: 'floor (fetch with the header)',
        run: () => net.fetch(url, { headers: { Authorization: bearer } }).then((r) => r.json()),
      },
      { name: 'one-line wrapper (adds the header)', run: () => wrapper(url).then((r) => r.json()) },
      { name: 'retoken (createFetch)', run: () => authFetch(url).then((r) => r.json()) },
    ],
    seen,
    plan.rounds,
    plan.perRound,
  )
  if (seen.refreshCalls > 0)
    problems.push(`fetch: ${seen.refreshCalls} refresh calls with a valid token`)
  auth.destroy()
  return { rows, problems }
}
