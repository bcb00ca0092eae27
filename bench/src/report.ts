// Markdown for RESULTS.md: tables and the goals, every figure taken from this run.
import type { AbortRow } from './abort'
import type { BurstRow } from './burst'
import type { CycleRow } from './cycle'
import type { HourRow } from './hour'
import type { OverheadRow } from './overhead'
import type { QueueRow } from './queue'
import type { SizeRow } from './sizes'

export const table = (head: string[], rows: Array<Array<string | number>>): string[] => [
  `| ${head.join(' | ')} |`,
  `| ${head.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
  ...rows.map((row) => `| ${row.join(' | ')} |`),
]

export const f = (value: number, digits = 1) =>
  Number.isFinite(value) ? value.toFixed(digits) : 'n/a'
export const int = (value: number) => Math.round(value).toLocaleString('en-US')

export interface Results {
  overhead: OverheadRow[]
  burst: BurstRow[]
  burstCount: number
  queue: QueueRow[]
  exactHeap: boolean
  abort: AbortRow[]
  hour: HourRow[]
  hourSeconds: number
  cycle: CycleRow[]
  sizes: SizeRow[]
}

// Why each production bundle is above its target, as measured (bench/RESULTS.md keeps them current).
const SIZE_REASONS =
  'what is left is behaviour, not messages: single-flight refresh with a timeout, adoption of an answer that arrives after it, the queue with abort, redaction of the refresh token from errors, the origin policy with its cache, clock-skew estimation, storage writes in order, events and the store; jwt-decode is about {jwt} B of it (docs/decisions/019 gives what each behaviour costs)'

export function goals(r: Results): string[] {
  const us = (group: string, name: string) =>
    r.overhead.find((o) => o.group.startsWith(group) && o.name.startsWith(name))?.us ?? Number.NaN
  const gap = us('axios, instant', 'retoken') - us('axios, instant', 'floor')
  const fetchGap = us('fetch', 'retoken') - us('fetch', 'one-line wrapper')
  const perAbort = r.queue.map((q) => q.abortUsPerRequest)
  const spread = Math.max(...perAbort) / Math.min(...perAbort)
  const cyc = (path: string, name: string) =>
    r.cycle.find((c) => c.path === path && c.name === name)?.us ?? Number.NaN
  const c401 = cyc('401', 'retoken (axios)') / cyc('401', 'axios-auth-refresh')
  const cPro = cyc('proactive', 'retoken (axios)') / cyc('proactive', 'axios-jwt')
  const size = (prefix: string) =>
    r.sizes.find((s) => s.name.startsWith(prefix))?.gzip ?? Number.NaN
  const reasons = SIZE_REASONS.replace('{jwt}', int(size('jwt-decode')))
  const budget = (label: string, entry: string, target: number, why: string) => {
    const production = size(`retoken production: ${entry}`)
    const development = size(`retoken development: ${entry}`)
    return [
      `${label}: production bundle ≤ ${int(target)} B min+gz`,
      mark(production <= target),
      `${int(production)} B (development ${int(development)} B)${production <= target ? '' : `: ${why}`}`,
    ]
  }
  const reactSize = size('@retoken/react production')
  const reactDevelopment = size('@retoken/react development')
  const auto = r.hour.filter((h) => h.name.includes('autoRefresh'))
  const mark = (ok: boolean) => (ok ? '**met**' : '**MISSED**')
  return [
    '## Goals',
    '',
    ...table(
      ['goal', 'verdict', 'measured this run'],
      [
        [
          'Axios fast path within about 1 µs of the floor (instant adapter)',
          mark(gap <= 1),
          `retoken ${f(gap)} µs above the floor (${f(us('axios, instant', 'retoken'))} vs ${f(us('axios, instant', 'floor'))} µs)${gap <= 1 ? '' : '. Why: the transport records the token generation a 401 is judged by, checks the origin and, in Node, wraps `beforeRedirect` so the token never follows a redirect to another origin (the floor sends it anywhere)'}`,
        ],
        [
          'fetch fast path within 3 µs of a one-line wrapper that adds the header (a string URL, no body)',
          mark(fetchGap <= 3),
          `retoken ${f(fetchGap)} µs above the wrapper (${f(us('fetch', 'retoken'))} vs ${f(us('fetch', 'one-line wrapper'))} µs; the floor, fetch called with the header: ${f(us('fetch', 'floor'))} µs)${fetchGap <= 3 ? '' : ". Why: no `Request` is built any more, but each call still passes through one more promise (the status is read for the retry-once rule), the origin check and the freshness check; the wrapper hands back fetch's own promise"}`,
        ],
        [
          'aborting n queued requests is linear',
          mark(spread <= 3),
          `${r.queue.map((q) => `${f(q.abortUsPerRequest)} µs each at ${int(q.n)}`).join(', ')} (largest / smallest ${f(spread, 2)}; linear if ≤ 3)`,
        ],
        [
          'refresh cycle no costlier than the peers (within 5%)',
          mark(c401 <= 1.05 && cPro <= 1.05),
          `401 path ${f(c401, 2)}× axios-auth-refresh; proactive path ${f(cPro, 2)}× axios-jwt${c401 <= 1.05 && cPro <= 1.05 ? '' : '. Why: a retoken cycle also hands its refresh function an abort signal with a timeout (a new AbortController per refresh, which Node 20 makes transferable, and the refresh call carries it), decodes and checks the new token, measures the clock skew, stores the session, emits its events and re-checks that no logout happened meanwhile; axios-auth-refresh replays the request with whatever the refresh returned. Measured part by part in docs/decisions/019: jwt-decode is the largest (about 16 µs a cycle), and with every part that can be stubbed gone retoken is still about 1.09×'}`,
        ],
        budget('Axios user', 'Axios user', 4500, reasons),
        budget(
          'fetch user',
          'fetch user',
          4500,
          `the same, plus the fetch transport's redirect walk for custom headers and its replay of bodies`,
        ),
        budget(
          'with webStorage() and tabs',
          '+ webStorage()',
          7000,
          'coordinateTabs() brings the IndexedDB ledger, Web Locks, BroadcastChannel, and (issue 15) the shared-store protocol it falls back to where the browser has none of them',
        ),
        [
          '`@retoken/react`: production bundle ≤ 1,500 B min+gz',
          mark(reactSize <= 1500),
          `${int(reactSize)} B (development ${int(reactDevelopment)} B)${reactSize <= 1500 ? '' : ': the binding keeps one restore per auth, the user derived from the claims and kept across refreshes, the login error taken from the server and a snapshot cache'}`,
        ],
        [
          'with autoRefresh() no request waits for a refresh',
          mark(auto.length > 0 && auto.every((h) => h.waited === 0)),
          auto.map((h) => `${h.name}: ${h.waited} waited`).join('; '),
        ],
      ],
    ),
    '',
  ]
}

export function sections(r: Results): string[] {
  const groups = [...new Set(r.overhead.map((o) => o.group))]
  return [
    '## 1. Per-request overhead with a valid token',
    '',
    'Median µs per request over interleaved rounds; ratio to the bare client of the same group.',
    '',
    ...groups.flatMap((group) => [
      `**${group}**`,
      '',
      ...table(
        ['client', 'µs / request', 'ratio'],
        r.overhead
          .filter((o) => o.group === group)
          .map((o) => [o.name, f(o.us), `${f(o.ratio, 2)}×`]),
      ),
      '',
    ]),
    `## 2. ${int(r.burstCount)} concurrent requests, token expired on the server (401 path)`,
    '',
    ...table(
      [
        'library',
        'succeeded',
        'failed',
        'refresh calls',
        'expired-token arrivals',
        'requests to the API',
        'reuse detections',
        'ms to settle',
      ],
      r.burst.map((b) => [
        b.name,
        b.succeeded,
        b.failed,
        b.refreshCalls,
        b.expiredArrivals,
        b.apiRequests,
        b.reuseDetections,
        int(b.ms),
      ]),
    ),
    '',
    '## 3. Queue scaling: requests waiting behind one refresh (retoken, Axios)',
    '',
    `Heap after a forced GC (${r.exactHeap ? '`--expose-gc`, `global.gc()` then `process.memoryUsage().heapUsed`' : 'no `--expose-gc`: approximate, without a forced GC'}); "plain Axios" is a request pending in an adapter that has not answered, the share Axios itself holds.`,
    '',
    ...table(
      [
        'waiting requests',
        'ms to enqueue',
        'ms to enqueue + settle',
        'heap B / waiting request',
        'of which plain Axios',
        'ms to abort all',
        'µs per abort',
      ],
      r.queue.map((q) => [
        int(q.n),
        int(q.enqueueMs),
        int(q.settleMs),
        int(q.bytesPerRequest),
        int(q.axiosBytesPerRequest),
        int(q.abortMs),
        f(q.abortUsPerRequest),
      ]),
    ),
    '',
    '## 4. Abort latency behind a 500 ms refresh',
    '',
    'Median ms from `controller.abort()` to the rejection of a request queued behind the refresh.',
    '',
    ...table(
      ['client', 'ms', 'rejected as'],
      r.abort.map((a) => [a.name, f(a.ms, 2), a.rejectedAs]),
    ),
    '',
    `## 5. ${r.hourSeconds >= 3600 ? 'A simulated hour' : `${r.hourSeconds / 60} simulated minutes`}: one request a second, 60 s tokens`,
    '',
    ...table(
      [
        'client',
        'requests',
        'failed',
        'expired tokens sent',
        'refresh calls',
        'requests that waited for a refresh',
      ],
      r.hour.map((h) => [
        h.name,
        int(h.requests),
        h.failed,
        h.expiredSent,
        h.refreshCalls,
        h.waited,
      ]),
    ),
    '',
    '## 6. One refresh cycle',
    '',
    'Median µs per cycle. 401 path: request refused, refresh, retry. Proactive path: token past its expiry on the client clock, renewal, request.',
    '',
    ...table(
      ['path', 'client', 'µs / cycle'],
      r.cycle.map((c) => [c.path, c.name, f(c.us)]),
    ),
    '',
    '## 7. Bundle sizes (min + gzip, axios external, jwt-decode included)',
    '',
    ...table(
      ['entry', 'minified B', 'min + gzip B'],
      r.sizes.map((s) => [s.name, int(s.minified), int(s.gzip)]),
    ),
    '',
  ]
}
