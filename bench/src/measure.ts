// Timing helpers: contenders run in interleaved rounds (the order rotates every round)
// and each reports the median of its rounds, so drift and noise hit all of them alike.

/** One thing to time: `run()` is one request (or one refresh cycle). */
export interface Contender {
  name: string
  run(): Promise<unknown>
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  if (sorted.length === 0) return Number.NaN
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

/** Median µs per `run()` for each contender, over `rounds` rounds of `perRound` sequential calls. */
export async function interleave(
  contenders: readonly Contender[],
  {
    rounds,
    perRound,
    warmup = Math.max(2, rounds >> 3),
  }: { rounds: number; perRound: number; warmup?: number },
): Promise<Map<string, number>> {
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]))
  for (let round = 0; round < warmup + rounds; round++) {
    for (let i = 0; i < contenders.length; i++) {
      const contender = contenders[(round + i) % contenders.length] as Contender
      const started = performance.now()
      for (let call = 0; call < perRound; call++) await contender.run()
      const us = ((performance.now() - started) * 1000) / perRound
      if (round >= warmup) samples.get(contender.name)?.push(us)
    }
  }
  return new Map([...samples].map(([name, values]) => [name, median(values)]))
}

const collect = (globalThis as { gc?: () => void }).gc

/** Whether heap figures come after a forced GC (`--expose-gc`) or are approximate. */
export const exactHeap = typeof collect === 'function'

/** Heap in use, after a full GC when `--expose-gc` is on. */
export async function heapUsed(): Promise<number> {
  for (let i = 0; i < 2; i++) {
    collect?.()
    await new Promise((resolve) => setImmediate(resolve))
  }
  return process.memoryUsage().heapUsed
}

/** Lets pending promise jobs and I/O callbacks run, on real timers. */
export const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** Waits (on real timers) until `done()` holds; throws after `limit` ticks. */
export async function until(done: () => boolean, what: string, limit = 1_000_000): Promise<void> {
  for (let i = 0; !done(); i++) {
    if (i > limit) throw new Error(`timed out waiting for ${what}`)
    await tick()
  }
}
