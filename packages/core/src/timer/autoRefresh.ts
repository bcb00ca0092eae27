import type { TimerHost, TimerPlugin } from '../engine/extensions'
import { browserWakeSource, type WakeSource } from './wakeSource'

/** Options of {@link autoRefresh}. */
export interface AutoRefreshOptions {
  /**
   * Where the timer hears that the app woke up; pass one for React Native's `AppState`.
   * @default browserWakeSource (page visible again, network back)
   */
  wake?: WakeSource
}

/**
 * Renews the access token on a timer, shortly before requests would have to wait for
 * a renewal, even when there is no traffic. The timer never keeps a Node process alive
 * and checks again when a browser tab becomes visible or the network comes back.
 * @example createAuth({ refresh, autoRefresh: autoRefresh() })
 */
export function autoRefresh(options: AutoRefreshOptions = {}): TimerPlugin {
  return (host) => new AutoRefresh({ ...host, wake: options.wake ?? browserWakeSource })
}

interface AutoRefreshDeps extends TimerHost {
  wake: WakeSource
}

/** The shortest wait between two timer refreshes, so a token that is always due cannot loop. */
export const MIN_TIMER_DELAY_MS = 5_000
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1 // setTimeout overflows past this
const MAX_BACKOFF_MS = 5 * 60_000
const LEAD_MS = 1_000

/**
 * The timer itself. It never keeps a
 * Node process alive (the timer is unref'd), and it checks again at each wake-up of
 * its {@link WakeSource} (by default: the page becomes visible or the network comes
 * back), since timers in hidden tabs, sleeping laptops and backgrounded apps fire late.
 */
export class AutoRefresh {
  #timer: ReturnType<typeof setTimeout> | null = null
  #failures = 0
  #stopListening: (() => void) | null = null
  readonly #deps: AutoRefreshDeps

  constructor(deps: AutoRefreshDeps) {
    this.#deps = deps
  }

  /** (Re)schedules the timer for the current session; stops it when there is none. */
  arm(): void {
    this.#clearTimer()
    const due = this.#deps.msUntilDue()
    // NaN from a broken clock would fire at once, every time
    if (due === null || !Number.isFinite(due)) {
      this.disarm()
      return
    }
    const backoff = this.#failures === 0 ? 0 : Math.min(MAX_BACKOFF_MS, 2 ** this.#failures * 1000)
    // The timer fires a lead ahead of the due time, so a late timer (a busy event loop)
    // still renews before the first request would wait; the lead's random part spreads
    // the renewals of tabs or processes that logged in together.
    const lead = Math.min(LEAD_MS * (1 + Math.random()), Math.max(0, due) * 0.1)
    const base = Math.max(MIN_TIMER_DELAY_MS, due - lead, backoff)
    this.#timer = setTimeout(() => this.#fire(), Math.min(MAX_TIMER_DELAY_MS, base))
    ;(this.#timer as { unref?: () => void }).unref?.()
    this.#listen(true)
  }

  /** Stops the timer and the page listeners. */
  disarm(): void {
    this.#clearTimer()
    this.#failures = 0
    this.#listen(false)
  }

  #fire(): void {
    this.#timer = null
    this.#deps.refresh().then(
      () => {
        this.#failures = 0
        this.arm()
      },
      () => {
        this.#failures += 1
        this.arm()
      },
    )
  }

  readonly #onWake = (): void => {
    const due = this.#deps.msUntilDue()
    if (due !== null && Number.isFinite(due) && due <= 0 && this.#failures === 0) this.#fire()
    else this.arm()
  }

  #listen(on: boolean): void {
    if (on === (this.#stopListening !== null)) return
    if (on) this.#stopListening = this.#deps.wake(this.#onWake)
    else {
      this.#stopListening?.()
      this.#stopListening = null
    }
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = null
  }
}
