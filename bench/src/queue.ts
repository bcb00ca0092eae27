// Scenario 3: n requests waiting behind one refresh held at a gate. How long to queue
// and settle them, what each costs in heap while it waits, and how long aborting all
// of them takes (it must grow linearly with n).
import { createAuth } from '@retoken/core'
import axios, { type AxiosAdapter, AxiosHeaders } from 'axios'
import { exactHeap, heapUsed, until } from './measure'
import { tokenPair } from './tokens'

export interface QueueRow {
  n: number
  enqueueMs: number
  settleMs: number
  bytesPerRequest: number
  axiosBytesPerRequest: number
  abortMs: number
  abortUsPerRequest: number
}

const answer: AxiosAdapter = async (config) => ({
  data: '{"ok":true}',
  status: 200,
  statusText: 'OK',
  headers: new AxiosHeaders({ 'content-type': 'application/json' }),
  config,
  request: {},
})

function gate() {
  let open = () => {}
  const opened = new Promise<void>((resolve) => {
    open = resolve
  })
  return { opened, open }
}

/** An attached instance whose refresh waits at a gate; `refresh()` is already running. */
async function held() {
  const { opened, open } = gate()
  let refreshCalls = 0
  const auth = createAuth({
    refresh: async () => {
      refreshCalls += 1
      await opened
      return tokenPair(Date.now(), 3600)
    },
    // this scenario measures the queue: on a loaded machine enqueuing 100,000 requests can
    // outlast the default 15 s, and a timed-out refresh would measure something else
    refreshTimeout: 600_000,
  })
  const api = axios.create({ baseURL: 'http://queue.test', adapter: answer })
  auth.attach(api)
  await auth.setTokens(tokenPair(Date.now(), 3600))
  let queued = 0
  auth.on('requestQueued', () => {
    queued += 1
  })
  const refreshing = auth.refresh()
  // its outcome is counted through the requests it releases; a failure must not crash the run
  refreshing.catch(() => {})
  return { api, auth, open, refreshing, queued: () => queued, refreshCalls: () => refreshCalls }
}

/** Heap per request pending in plain Axios (an adapter that has not answered): Axios' own share. */
async function axiosBaseline(n: number): Promise<number> {
  const { opened, open } = gate()
  const api = axios.create({
    adapter: async (config) => {
      await opened
      return answer(config)
    },
  })
  const before = await heapUsed()
  const pending = Array.from({ length: n }, () => api.get('http://queue.test/x'))
  const after = await heapUsed()
  open()
  await Promise.all(pending)
  return (after - before) / n
}

export async function queue(sizes: readonly number[]) {
  const rows: QueueRow[] = []
  const problems: string[] = []
  for (const n of sizes) {
    const axiosBytesPerRequest = await axiosBaseline(n)

    const a = await held()
    const before = await heapUsed()
    const started = performance.now()
    const pending = Array.from({ length: n }, () => a.api.get('/x'))
    await until(() => a.queued() === n, 'requests to queue')
    const enqueueMs = performance.now() - started
    const bytesPerRequest = ((await heapUsed()) - before) / n
    const released = performance.now()
    a.open()
    const results = await Promise.allSettled(pending)
    const settleMs = enqueueMs + (performance.now() - released)
    const ok = results.filter((r) => r.status === 'fulfilled').length
    if (ok !== n || a.refreshCalls() !== 1)
      problems.push(`queue ${n}: ${ok} settled ok, ${a.refreshCalls()} refresh calls`)
    a.auth.destroy()

    const b = await held()
    const controllers = Array.from({ length: n }, () => new AbortController())
    const waiting = controllers.map((c) => b.api.get('/x', { signal: c.signal }))
    await until(() => b.queued() === n, 'requests to queue')
    const abortStarted = performance.now()
    for (const c of controllers) c.abort()
    const aborted = await Promise.allSettled(waiting)
    const abortMs = performance.now() - abortStarted
    const canceled = aborted.filter(
      (r) => r.status === 'rejected' && axios.isCancel(r.reason),
    ).length
    if (canceled !== n)
      problems.push(`queue ${n}: only ${canceled} aborted requests rejected as canceled`)
    b.open()
    await b.refreshing
    b.auth.destroy()
    rows.push({
      n,
      enqueueMs,
      settleMs,
      bytesPerRequest,
      axiosBytesPerRequest,
      abortMs,
      abortUsPerRequest: (abortMs * 1000) / n,
    })
  }
  return { rows, problems, exactHeap }
}
