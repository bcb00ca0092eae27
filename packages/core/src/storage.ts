import type { StoredSession, TokenStorage } from './types'

/**
 * Keeps the session in memory only: the safest place for tokens in a browser
 * (nothing for an XSS payload to read later), at the price of a refresh on reload,
 * which an HttpOnly refresh cookie makes silent.
 */
export function memoryStorage(): TokenStorage {
  let session: StoredSession | null = null
  return {
    get: () => session,
    set: (value) => {
      session = value
    },
    remove: () => {
      session = null
    },
  }
}

/** The subset of the Web Storage API that {@link webStorage} needs. */
export interface WebStorageLike {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

/**
 * Keeps the session in `localStorage` or `sessionStorage` under `key`. Convenient,
 * but any script on the page can read it: prefer {@link memoryStorage} with an
 * HttpOnly refresh cookie where the server allows it. Tabs sharing `localStorage`
 * follow each other's logins, refreshes and logouts, and refresh one at a time
 * (Web Locks) so a rotated refresh token is never presented twice.
 *
 * @example webStorage(window.sessionStorage, 'myapp.session')
 */
export function webStorage(storage: WebStorageLike, key = 'retoken.session'): TokenStorage {
  return {
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
      storage.setItem(key, JSON.stringify(session))
    },
    remove() {
      storage.removeItem(key)
    },
    // other tabs write localStorage too: hear about it, and refresh one tab at a time
    subscribe(onChange) {
      if (typeof window === 'undefined') return () => {}
      const listener = (event: Event) => {
        const changed = (event as StorageEvent).key
        if (changed === null || changed === key) onChange()
      }
      window.addEventListener('storage', listener)
      return () => window.removeEventListener('storage', listener)
    },
    lock<T>(task: () => Promise<T>): Promise<T> {
      const locks = typeof navigator === 'undefined' ? undefined : navigator.locks
      return locks ? (locks.request(`retoken:${key}`, task) as Promise<T>) : task()
    },
  }
}

/** Reads a storage once: synchronously when it is synchronous, so the first state is right. */
export function readStorage(
  storage: TokenStorage,
  adopt: (stored: unknown) => void,
): Promise<void> {
  try {
    const stored = storage.get()
    if (stored && typeof (stored as Promise<unknown>).then === 'function') {
      return Promise.resolve(stored).then(adopt, () => {})
    }
    adopt(stored)
  } catch {
    // an unreadable storage holds no session
  }
  return Promise.resolve()
}
