/** Where the client keeps its session: the four setups the demo compares. */
export type StorageMode = 'memory' | 'session' | 'local' | 'cookie'

/** The choices made on the page, kept in localStorage so a reload keeps them. */
export interface DemoSettings {
  storage: StorageMode
  autoRefresh: boolean
  /** Whether tabs sharing a session take turns to refresh (`tabs: false` when off). */
  coordination: boolean
  /** DPoP (RFC 9449): tokens bound to a key this browser holds, from the DPoP-mode server. */
  dpop: boolean
}

const KEY = 'retoken.demo.settings'
// localStorage by default, so "Open another tab" shows a second tab sharing the session
const DEFAULTS: DemoSettings = {
  storage: 'local',
  autoRefresh: true,
  coordination: true,
  dpop: false,
}
const MODES: readonly StorageMode[] = ['memory', 'session', 'local', 'cookie']

/** The stored choices, or the defaults (localStorage, auto-refresh on, tabs coordinated, no DPoP). */
export function loadSettings(): DemoSettings {
  try {
    const raw = JSON.parse(window.localStorage.getItem(KEY) ?? '{}') as Partial<DemoSettings>
    const storage = MODES.includes(raw.storage as StorageMode)
      ? (raw.storage as StorageMode)
      : DEFAULTS.storage
    return {
      storage,
      autoRefresh: typeof raw.autoRefresh === 'boolean' ? raw.autoRefresh : DEFAULTS.autoRefresh,
      coordination:
        typeof raw.coordination === 'boolean' ? raw.coordination : DEFAULTS.coordination,
      // the cookie mode's server does not run DPoP: the two never go together
      dpop: raw.dpop === true && dpopAvailable(storage),
    }
  } catch {
    return DEFAULTS
  }
}

/** Keeps the choices; the page reloads to build a new `auth` with them. */
export function saveSettings(settings: DemoSettings): void {
  window.localStorage.setItem(KEY, JSON.stringify(settings))
}

/** Reloads this tab when another tab changes the settings, so every tab runs the same setup. */
export function followSettingsOfOtherTabs(): void {
  window.addEventListener('storage', (event) => {
    if (event.key === KEY) window.location.reload()
  })
}

/** Whether this storage is seen by every tab, so tabs share (and must coordinate) one session. */
export const sharedByTabs = (storage: StorageMode) => storage === 'local' || storage === 'cookie'

/** Whether the DPoP switch can be on with this storage: the demo's cookie server runs no DPoP. */
export const dpopAvailable = (storage: StorageMode) => storage !== 'cookie'

/** What each storage choice means, for the settings card. */
export const STORAGE_LABELS: Record<StorageMode, string> = {
  memory: 'Memory (a reload logs you out)',
  session: 'sessionStorage (this tab only: a new tab starts logged out)',
  local: 'localStorage (shared by tabs)',
  cookie: 'Memory + HttpOnly refresh cookie',
}

let clockSkewMs = 0

/** The client's clock as retoken reads it: the real one plus the skew set on the page. */
export const skewedNow = () => Date.now() + clockSkewMs

/** Moves the client clock by `minutes` (positive: ahead of the server). */
export function setClockSkew(minutes: number): void {
  clockSkewMs = minutes * 60_000
}

/** The current skew in minutes. */
export const clockSkewMinutes = () => clockSkewMs / 60_000
