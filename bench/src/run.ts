// `pnpm bench` writes RESULTS.md; `pnpm bench -- --quick` (CI's smoke test) runs every
// scenario small, writes to a temp file and exits non-zero when a scenario is broken.
import { writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { abortLatency } from './abort'
import { burst } from './burst'
import { cycle } from './cycle'
import { hour } from './hour'
import { overhead } from './overhead'
import { plan, quick } from './plan'
import { processes } from './processes'
import { queue } from './queue'
import { goals, type Results, sections } from './report'
import { sizes } from './sizes'

const problems: string[] = []
const step = async <T extends { problems: string[] }>(
  name: string,
  run: () => Promise<T>,
): Promise<T> => {
  const started = performance.now()
  const result = await run()
  problems.push(...result.problems)
  console.error(`${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return result
}

// `--only=cycle` (comma-separated scenario names) runs just those, prints their rows and
// writes nothing: a report needs every scenario, and RESULTS.md must come from one run
const only = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice(7)
  .split(',')
if (only) {
  const scenarios: Record<string, () => Promise<{ problems: string[] }>> = {
    overhead: () => overhead(plan.overhead),
    burst: () => burst(plan.burst),
    queue: () => queue(plan.queue),
    abort: () => abortLatency(plan.abortRepeats),
    hour: () => hour(plan.hourSeconds),
    cycle: () => cycle(plan.cycle),
    sizes: () => sizes(),
  }
  for (const name of only) {
    const run = scenarios[name]
    if (!run) throw new Error(`--only: no scenario ${name} (${Object.keys(scenarios).join(', ')})`)
    const { problems: _, ...result } = await step(name, run)
    console.log(`${name}:`)
    console.table((result as { rows?: unknown }).rows ?? result)
  }
  if (problems.length > 0) console.error(`scenario check(s) failed:\n- ${problems.join('\n- ')}`)
  process.exit(problems.length > 0 ? 1 : 0)
}

const started = performance.now()
const o = await step('overhead', () => overhead(plan.overhead))
const b = await step('burst', () => burst(plan.burst))
const q = await step('queue', () => queue(plan.queue))
const a = await step('abort', () => abortLatency(plan.abortRepeats))
const h = await step('hour', () => hour(plan.hourSeconds))
const c = await step('cycle', () => cycle(plan.cycle))
const s = await step('sizes', () => sizes())
const p = await step('processes', () => processes(quick))
const seconds = (performance.now() - started) / 1000

const results: Results = {
  overhead: o.rows,
  burst: b.rows,
  burstCount: plan.burst,
  queue: q.rows,
  exactHeap: q.exactHeap,
  abort: a.rows,
  hour: h.rows,
  hourSeconds: plan.hourSeconds,
  cycle: c.rows,
  sizes: s.rows,
}

const lines = [
  '# Benchmarks',
  '',
  `Written by \`pnpm bench\` (${quick ? 'quick mode' : 'full run'}, ${seconds.toFixed(0)} s): Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), ${new Date().toISOString().slice(0, 10)}. Counts are exact; times are for this machine, and every ratio compares contenders measured in the same run, in interleaved rounds (medians). retoken runs from source under Node's default conditions, which pick its production half (\`#dev\`) and its Node half (\`#platform\`); the sizes are its browser builds.`,
  '',
  "How each library is set up (`src/clients.ts`), as its README shows: **retoken** `createAuth({ refresh })` with `auth.attach(api, { allowedOrigins })`, or `createSession({ refresh })` with `createFetch(auth, { allowedOrigins, fetch })`, then `auth.setTokens()`; **axios-auth-refresh** `createAuthRefresh(api, refreshAuthLogic)` with its defaults (`deduplicateRefresh: true`) plus the request interceptor its README shows that sets the current token; **axios-jwt** `applyAuthTokenInterceptor(api, { requestRefresh, getStorage })` and `setAuthTokens()`, with an in-memory storage in place of `getBrowserLocalStorage()` (Node has no localStorage). Every refresh call is the app's own `POST /auth/refresh` through a plain Axios instance (fetch for retoken's fetch user). The network is faked, never the libraries: see [README.md](README.md) for each scenario.",
  '',
  ...goals(results),
  ...sections(results),
  ...p.lines,
]
const report = `${lines.join('\n')}\n`
const target = quick
  ? join(tmpdir(), 'retoken-bench-quick.md')
  : fileURLToPath(new URL('../RESULTS.md', import.meta.url))
writeFileSync(target, report)
console.log(report)
console.error(`wrote ${target} in ${seconds.toFixed(1)} s`)
if (problems.length > 0) {
  console.error(`\n${problems.length} scenario check(s) failed:\n- ${problems.join('\n- ')}`)
  process.exit(1)
}
