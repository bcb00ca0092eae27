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
