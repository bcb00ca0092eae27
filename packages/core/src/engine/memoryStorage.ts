import type { StoredSession, TokenStorage } from './types'

/**
 * Keeps the session in memory only: the safest place for tokens in a browser
 * (nothing for an XSS payload to read later), at the price of a refresh on reload,
 * which an HttpOnly refresh cookie makes silent.
 */
export function memoryStorage(): TokenStorage {
  let session: StoredSession | null = null
  return {
    sharing: 'none',
    get: () => session,
    set: (value) => {
      session = value
    },
    remove: () => {
      session = null
    },
  }
}

/**
 * Reads a storage once: synchronously when it is synchronous, so the first state is
 * right. Returns the pending read of an async storage, or `null` when it is done.
 */
export function readStorage(
  storage: TokenStorage,
  adopt: (stored: unknown) => void,
): Promise<void> | null {
  try {
    const stored = storage.get()
    if (stored && typeof (stored as Promise<unknown>).then === 'function') {
      return Promise.resolve(stored)
        .then(adopt)
        .catch(() => {})
    }
    adopt(stored)
  } catch {
    // an unreadable storage, or a value that throws when read, holds no session
  }
  return null
}
