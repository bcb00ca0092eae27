import type { StoredSession, TokenStorage } from '../engine/types'
import { coordinateTabs } from '../tabs/coordinateTabs'

/** The subset of the Web Storage API that {@link webStorage} needs. */
export interface WebStorageLike {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

/**
 * Keeps the session in `localStorage` or `sessionStorage` under `key`, with tab
 * coordination (`coordinateTabs()`) included. Convenient,
 * but any script on the page can read it: prefer `memoryStorage()` with an
 * HttpOnly refresh cookie where the server allows it. Tabs sharing `localStorage`
 * follow each other's logins, refreshes and logouts, and refresh one at a time, so
 * a rotated refresh token is never presented twice; a `sessionStorage` copied into
 * a duplicated tab is recognised as well (see the README's section on tabs).
 *
 * @example webStorage(window.sessionStorage, 'myapp.session')
 */
export function webStorage(storage: WebStorageLike, key = 'retoken.session'): TokenStorage {
  const perTab = isSessionStorage(storage)
  return {
    // sessionStorage is per tab, but "Duplicate tab" copies it, refresh token included
    sharing: perTab ? 'duplicates' : 'tabs',
    id: `${perTab ? 'session' : 'local'}:${key}`,
    // tabs sharing this session must refresh one at a time, or a rotated token is spent twice
    tabs: coordinateTabs(),
    get() {
      try {
        const raw = storage.getItem(key)
        return raw === null ? null : (JSON.parse(raw) as StoredSession)
      } catch {
        // corrupt JSON or storage disabled (Safari private mode): no session
        return null
      }
    },
    set(session) {
      // QuotaExceededError and Safari's private mode throw here; the caller keeps the session in memory
      storage.setItem(key, JSON.stringify(session))
    },
    remove() {
      storage.removeItem(key)
    },
    // where IndexedDB is missing, the storage event is how tabs hear of each other
    subscribe(onChange) {
      if (typeof window === 'undefined') return () => {}
      const listener = (event: Event) => {
        const changed = (event as StorageEvent).key
        if (changed === null || changed === key) onChange()
      }
      window.addEventListener('storage', listener)
      return () => window.removeEventListener('storage', listener)
    },
  }
}

function isSessionStorage(storage: WebStorageLike): boolean {
  try {
    return typeof sessionStorage !== 'undefined' && storage === sessionStorage
  } catch {
    // reading `sessionStorage` throws in sandboxed frames
    return false
  }
}
