// Scenario 6: the cost of one refresh cycle, all in memory. On the 401 path the API
// refuses the token, the client refreshes and retries; on the proactive path the
// simulated clock jumps past the token's expiry and the client renews before sending.
import { axiosAuthRefresh, axiosJwt, retokenAxios, retokenFetch } from './clients'
import { installFakeTime } from './fakeTime'
import { type Contender, interleave } from './measure'
import { gatedNetwork } from './network'
import type { Plan } from './plan'

export interface CycleRow {
  path: '401' | 'proactive'
  name: string
  us: number
}

type Net = ReturnType<typeof gatedNetwork>

const checked = (response: Response) => {
  if (!response.ok) throw new Error(`HTTP ${response.status}`)
  return response.json()
}

async function contenders(
  nets: () => Net,
  kinds: string[],
  before: (net: Net) => void,
  now: () => number,
) {
  const list: Array<Contender & { net: Net }> = []
  for (const name of kinds) {
    const net = nets()
    const session = net.login()
    let send: () => Promise<unknown>
    if (name === 'retoken (axios)') {
      const { api } = await retokenAxios(net, session, { now })
      send = () => api.get('/x')
    } else if (name === 'retoken (fetch)') {
      const { fetch } = await retokenFetch(net, session, { now })
      send = () => fetch(`${net.baseURL}/x`).then(checked)
    } else {
      const api =
        name === 'axios-jwt' ? await axiosJwt(net, session) : axiosAuthRefresh(net, session)
      send = () => api.get('/x')
    }
    list.push({
      name,
      net,
      run: () => {
        before(net)
        return send()
      },
    })
  }
  return list
}

export async function cycle(plan: Plan['cycle']) {
  const rows: CycleRow[] = []
  const problems: string[] = []
  const count = (
    list: Array<Contender & { net: Net }>,
    path: CycleRow['path'],
    us: Map<string, number>,
  ) => {
    const expected = (plan.rounds + Math.max(2, plan.rounds >> 3)) * plan.perRound
    for (const c of list) {
      rows.push({ path, name: c.name, us: us.get(c.name) ?? Number.NaN })
      if (c.net.refreshCalls() !== expected)
        problems.push(
          `cycle ${path}: ${c.name} made ${c.net.refreshCalls()} refreshes for ${expected} cycles`,
        )
    }
  }

  const rejected = await contenders(
    () => gatedNetwork({ now: Date.now, ttl: 3600 }),
    ['retoken (axios)', 'retoken (fetch)', 'axios-auth-refresh'],
    (net) => net.revoke(),
    Date.now,
  )
  count(rejected, '401', await interleave(rejected, plan))

  const time = installFakeTime(Date.UTC(2026, 0, 1))
  try {
    const jump = (net: Net) => void net // the clock moves in run(), below
    const proactive = await contenders(
      () => gatedNetwork({ now: time.now, ttl: 60 }),
      ['retoken (axios)', 'retoken (fetch)', 'axios-jwt'],
      jump,
      time.now,
    )
    const moving = proactive.map((c) => ({
      ...c,
      run: async () => {
        await time.advanceTo(time.now() + 61_000, async () => {})
        return c.run()
      },
    }))
    count(moving, 'proactive', await interleave(moving, plan))
  } finally {
    time.restore()
  }
  return { rows, problems }
}
