let warnedUncoordinatedCookie = false

/**
 * An HttpOnly refresh cookie is one token for every tab: tabs that refresh on their
 * own spend it twice and the server revokes the session. Said once, to developers.
 */
export function warnUncoordinatedCookie(): void {
  const mode = typeof process !== 'undefined' ? process.env?.NODE_ENV : undefined
  if (warnedUncoordinatedCookie || typeof window === 'undefined') return
  if (mode === 'production' || mode === 'test') return
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
  const mode = typeof process !== 'undefined' ? process.env?.NODE_ENV : undefined
  if (warnedUncoordinatedStorage || mode === 'production' || mode === 'test') return
  warnedUncoordinatedStorage = true
  console.warn(
    "[retoken] this storage has lock() or subscribe(), but nothing coordinates through them: pass tabs: coordinateStorage() (processes sharing the storage) or tabs: coordinateTabs() (browser tabs) from '@retoken/core', or set storage.tabs; tabs: false silences this.",
  )
}
