import type { RefreshFault } from './types'

/** Pending refresh failures and added latency, set by tests and the demo. */
export class Faults {
  #refreshFaults: RefreshFault[] = []
  readonly #latency = new Map<string, number>()

  failNextRefresh(count: number, fault: RefreshFault): void {
    if (!Number.isInteger(count) || count < 0) throw new TypeError('count must be an integer >= 0')
    for (let i = 0; i < count; i++) this.#refreshFaults.push(fault)
  }

  /** The fault for this refresh call, if one is pending. */
  takeRefreshFault(): RefreshFault | undefined {
    return this.#refreshFaults.shift()
  }

  setLatency(route: string, ms: number): void {
    if (!(ms >= 0)) throw new TypeError('latency must be a number of ms >= 0')
    if (ms === 0) this.#latency.delete(route)
    else this.#latency.set(route, ms)
  }

  latencyFor(route: string): number {
    return (this.#latency.get(route) ?? 0) + (this.#latency.get('*') ?? 0)
  }

  clear(): void {
    this.#refreshFaults = []
    this.#latency.clear()
  }
}
