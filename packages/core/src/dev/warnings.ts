import { storeFailed } from '../shared/storeFailed'

// Said to developers only: the production build has none of these (docs/decisions/017);
// a store that fails reaches the app there as a `storageFailed` event.
const isQuiet = () => {
  const mode = typeof process !== 'undefined' ? process.env?.NODE_ENV : undefined
  return mode === 'production' || mode === 'test'
}

let warnedUncoordinatedCookie = false

/**
 * An HttpOnly refresh cookie is one token for every tab: tabs that refresh on their
 * own spend it twice and the server revokes the session. Said once, to developers.
 */
export function warnUncoordinatedCookie(): void {
  if (warnedUncoordinatedCookie || typeof window === 'undefined' || isQuiet()) return
  warnedUncoordinatedCookie = true
  console.warn(
    '[retoken] the refresh token is a cookie all tabs share, but the tabs are not coordinated: pass tabs: coordinateTabs(), or tabs: false if the app never runs in two tabs.',
  )
}

let warnedUncoordinatedStorage = false

/**
 * A storage written to be shared (it has lock or subscribe) is not coordinated until
 * coordination is imported: importing it by default would cost every app its bytes.
 */
export function warnUncoordinatedStorage(): void {
  if (warnedUncoordinatedStorage || isQuiet()) return
  warnedUncoordinatedStorage = true
  console.warn(
    "[retoken] this storage has lock() or subscribe(), but nothing coordinates through them: pass tabs: coordinateStorage() (processes sharing the storage) or tabs: coordinateTabs() (browser tabs) from '@retoken/core', or set storage.tabs; tabs: false silences this.",
  )
}

let warnedAlone = false

/**
 * A plain storage that cannot be written (a full localStorage) leaves this tab
 * refreshing on its own; said once.
 */
export function warnAlone(error: unknown): void {
  if (warnedAlone || isQuiet()) return
  warnedAlone = true
  console.warn(
    `[retoken] the session storage cannot be written (${storeFailed(error).message}): this tab refreshes on its own, and other tabs cannot take over its tokens.`,
  )
}

/** A shared store could not take a login or logout: the other processes do not know of it. */
export function warnUnpublished(error: unknown): void {
  if (isQuiet()) return
  console.warn(
    `[retoken] the shared session store failed, so other processes do not know of this login or logout yet: ${storeFailed(error).message}`,
  )
}

let warnedTabsUncoordinated = false

/**
 * A browser without IndexedDB or BroadcastChannel has no lock across tabs: at best the
 * storage's own events coordinate them (`webStorage()`), and two tabs refreshing a
 * rotated token at the same moment may revoke the session. Said once.
 */
export function warnTabsUncoordinated(): void {
  if (warnedTabsUncoordinated || isQuiet()) return
  warnedTabsUncoordinated = true
  console.warn(
    '[retoken] this browser has no IndexedDB or BroadcastChannel: tabs cannot hold one lock or hand tokens over, so two tabs refreshing a rotated token at the same moment may revoke the session.',
  )
}
