// Scenario 4: a request queued behind a refresh that takes 500 ms is aborted 20 ms in:
// how long from `controller.abort()` to its rejection.
import { axiosAuthRefresh, axiosJwt, retokenAxios, retokenFetch } from './clients'
import { median, until } from './measure'
import { gatedNetwork } from './network'

type Send = (signal?: AbortSignal) => Promise<unknown>

export interface AbortRow {
  name: string
  ms: number
  rejectedAs: string
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function setup(
  name: string,
): Promise<{ send: Send; net: ReturnType<typeof gatedNetwork>; dispose(): void }> {
  // axios-jwt renews only before expiry: its token is 5 s from it (inside its 10 s margin)
  const net = gatedNetwork({
    now: Date.now,
    ttl: name === 'axios-jwt' ? 5 : 3600,
    refreshDelayMs: 500,
  })
  const session = net.login()
  if (name === 'retoken (axios)') {
    const { api, auth } = await retokenAxios(net, session)
    return {
      net,
      send: (signal) => api.get('/x', signal ? { signal } : {}),
      dispose: () => auth.destroy(),
    }
  }
  if (name === 'retoken (fetch)') {
    const { fetch, auth } = await retokenFetch(net, session)
    return {
      net,
      send: (signal) => fetch(`${net.baseURL}/x`, signal ? { signal } : {}),
      dispose: () => auth.destroy(),
    }
  }
  const api = name === 'axios-jwt' ? await axiosJwt(net, session) : axiosAuthRefresh(net, session)
  return { net, send: (signal) => api.get('/x', signal ? { signal } : {}), dispose() {} }
}

export const abortContenders = [
  'retoken (axios)',
  'retoken (fetch)',
  'axios-auth-refresh',
  'axios-jwt',
]

export async function abortLatency(repeats: number) {
  const rows: AbortRow[] = []
  const problems: string[] = []
  for (const name of abortContenders) {
    const samples: number[] = []
    let rejectedAs = ''
    for (let i = 0; i < repeats; i++) {
      const { send, net, dispose } = await setup(name)
      net.revoke() // the first request gets a 401 (axios-jwt's renews its due token)
      const first = send()
      await until(() => net.refreshing(), 'the refresh to start')
      const controller = new AbortController()
      const queued = send(controller.signal)
      await sleep(20)
      const started = performance.now()
      controller.abort()
      try {
        await queued
        rejectedAs = 'not rejected'
      } catch (error) {
        rejectedAs = (error as Error).name
      }
      samples.push(performance.now() - started)
      await first.catch(() => {})
      dispose()
    }
    const ms = median(samples)
    rows.push({ name, ms, rejectedAs })
    // well under the 500 ms refresh it waited behind, with room for a busy CI machine
    if (name.startsWith('retoken') && (ms > 100 || !/Cancel|Abort/.test(rejectedAs)))
      problems.push(`abort: ${name} took ${ms.toFixed(1)} ms and rejected as ${rejectedAs}`)
  }
  return { rows, problems }
}
