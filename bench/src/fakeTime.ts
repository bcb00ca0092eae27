// Simulated time for the hour scenario: Date.now, setTimeout and clearTimeout are
// replaced while it runs, so the timers of autoRefresh() (and axios-jwt's Date.now)
// follow a clock the scenario moves by hand. Promise jobs and I/O still run for real.
interface Pending {
  at: number
  fire(): void
}

export interface FakeTime {
  now(): number
  /** Moves to `target`, firing due timers in order and awaiting `settle()` after each. */
  advanceTo(target: number, settle: () => Promise<void>): Promise<void>
  restore(): void
}

export function installFakeTime(start: number): FakeTime {
  const real = {
    setTimeout: globalThis.setTimeout,
    clearTimeout: globalThis.clearTimeout,
    now: Date.now,
  }
  const timers = new Map<number, Pending>()
  let now = start
  let ids = 0
  const fakeSetTimeout = (fn: (...args: unknown[]) => void, ms = 0, ...args: unknown[]) => {
    const id = ++ids
    timers.set(id, { at: now + Math.max(0, Number(ms) || 0), fire: () => fn(...args) })
    const handle = {
      id,
      unref: () => handle,
      ref: () => handle,
      hasRef: () => false,
      [Symbol.toPrimitive]: () => id,
    }
    return handle
  }
  const fakeClearTimeout = (handle: unknown) => {
    timers.delete(
      typeof handle === 'object' && handle !== null
        ? (handle as { id: number }).id
        : Number(handle),
    )
  }
  globalThis.setTimeout = fakeSetTimeout as unknown as typeof setTimeout
  globalThis.clearTimeout = fakeClearTimeout as unknown as typeof clearTimeout
  Date.now = () => now

  const nextDue = (target: number) => {
    let best: [number, Pending] | undefined
    for (const entry of timers)
      if (entry[1].at <= target && (!best || entry[1].at < best[1].at)) best = entry
    return best
  }
  return {
    now: () => now,
    async advanceTo(target, settle) {
      for (let due = nextDue(target); due; due = nextDue(target)) {
        timers.delete(due[0])
        now = Math.max(now, due[1].at)
        due[1].fire()
        await settle()
      }
      now = target
    },
    restore() {
      globalThis.setTimeout = real.setTimeout
      globalThis.clearTimeout = real.clearTimeout
      Date.now = real.now
    },
  }
}
