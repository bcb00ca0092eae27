import type { ArmedFault, ServerName } from './mockState'

/** Upper bound of the "slow refresh" fault, so a typo cannot hold a refresh for minutes. */
const MAX_SLOW_MS = 10_000

/**
 * The refresh faults waiting on each server, first armed first played. The plugin plays
 * them itself (rather than through the mock server's own faults), so it always knows what
 * is still armed and can say so on the page.
 */
export function createArmedFaults() {
  let queue: ArmedFault[] = []
  const describe: Record<ArmedFault['kind'], (ms: number) => string> = {
    'server-error': () => 'answered with a 500',
    'network-error': () => 'its connection cut mid-answer',
    timeout: () => 'held until the client gives up (5 s)',
    slow: (ms) => `answered after ${(ms / 1000).toFixed(1)} s`,
  }
  const delays = new WeakMap<ArmedFault, number>()
  return {
    /** Arms a fault; returns false for an unknown kind. */
    arm(server: ServerName, kind: string, ms = 0): boolean {
      if (!(kind in describe)) return false
      const typed = kind as ArmedFault['kind']
      const delay = Math.max(0, Math.min(MAX_SLOW_MS, ms))
      const fault: ArmedFault = { server, kind: typed, description: describe[typed](delay) }
      delays.set(fault, delay)
      queue.push(fault)
      return true
    },
    /** The fault for this refresh call, taken off the queue, with its delay for `slow`. */
    take(server: ServerName): { kind: ArmedFault['kind']; ms: number } | undefined {
      const index = queue.findIndex((fault) => fault.server === server)
      if (index < 0) return undefined
      const [fault] = queue.splice(index, 1)
      return fault && { kind: fault.kind, ms: delays.get(fault) ?? 0 }
    },
    list: (): ArmedFault[] => [...queue],
    clear() {
      queue = []
    },
  }
}
