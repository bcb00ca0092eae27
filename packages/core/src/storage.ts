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
 * HttpOnly refresh cookie where the server allows it.
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
  }
}
