import { storeFailed } from '../shared/storeFailed'

// Said to developers only: the production build has none of these (docs/decisions/017);
// a store that fails reaches the app there as a `storageFailed` event.
const isQuiet = () => {
  const mode = typeof process !== 'undefined' ? process.env?.NODE_ENV : undefined
  return mode === 'production' || mode === 'test'
}

const said = new Set<string>()

/** Warns once per `topic` for the life of the page or process. */
function warnOnce(topic: string, message: () => string): void {
  if (said.has(topic) || isQuiet()) return
  said.add(topic)
  console.warn(`[retoken] ${message()}`)
}

/**
 * An HttpOnly refresh cookie is one token for every tab: tabs that refresh on their
 * own spend it twice and the server revokes the session.
 */
export function warnUncoordinatedCookie(): void {
  if (typeof window === 'undefined') return
  warnOnce(
    'cookie',
    () =>
      'the refresh token is a cookie all tabs share, but the tabs are not coordinated: pass tabs: coordinateTabs(), or tabs: false if the app never runs in two tabs.',
  )
}

/**
 * A storage written to be shared (it has lock or subscribe) is not coordinated until
 * coordination is imported: importing it by default would cost every app its bytes.
 */
export function warnUncoordinatedStorage(): void {
  warnOnce(
    'storage',
    () =>
      "this storage has lock() or subscribe(), but nothing coordinates through them: pass tabs: coordinateStorage() (processes sharing the storage) or tabs: coordinateTabs() (browser tabs) from '@retoken/core', or set storage.tabs; tabs: false silences this.",
  )
}

/** A plain storage that cannot be written (a full localStorage) leaves this tab refreshing on its own. */
export function warnAlone(error: unknown): void {
  warnOnce(
    'alone',
    () =>
      `the session storage cannot be written (${storeFailed(error).message}): this tab refreshes on its own, and other tabs cannot take over its tokens.`,
  )
}

/** A shared store could not take a login or logout: the other processes do not know of it. Said each time. */
export function warnUnpublished(error: unknown): void {
  if (isQuiet()) return
  console.warn(
    `[retoken] the shared session store failed, so other processes do not know of this login or logout yet: ${storeFailed(error).message}`,
  )
}

/**
 * A browser without IndexedDB or BroadcastChannel has no lock across tabs: at best the
 * storage's own events coordinate them (`webStorage()`), and two tabs refreshing a
 * rotated token at the same moment may revoke the session.
 */
export function warnTabsUncoordinated(): void {
  warnOnce(
    'tabs',
    () =>
      'this browser has no IndexedDB or BroadcastChannel: tabs cannot hold one lock or hand tokens over, so two tabs refreshing a rotated token at the same moment may revoke the session.',
  )
}
