import type { WakeSource } from './wakeSource'

/** What the renewal timer needs from the session. */
export interface AutoRefreshDeps {
  /** Milliseconds until the token is due for renewal, or `null` when there is nothing to renew. */
  msUntilDue(): number | null
  /** Starts (or joins) a refresh. */
  refresh(): Promise<unknown>
  /** Where wake-ups come from (page visible, network back, app in the foreground). */
  wake: WakeSource
}

/** The shortest wait between two timer refreshes, so a token that is always due cannot loop. */
export const MIN_TIMER_DELAY_MS = 5_000
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1 // setTimeout overflows past this
const MAX_BACKOFF_MS = 5 * 60_000

/**
 * Renews the token before it expires when there is no traffic. It never keeps a
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
    // jitter spreads renewals of many tabs or processes that logged in together; it is
    // taken off the due time, so the timer renews before requests would start to wait
    const jitter = Math.random() * Math.min(1_000, Math.max(0, due) * 0.1)
    const base = Math.max(MIN_TIMER_DELAY_MS, due - jitter, backoff)
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
