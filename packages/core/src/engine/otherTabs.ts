import { type Session, sessionFromStorage, type TokenFormat } from './session'
import type { RefreshResult, TokenStorage } from './types'

interface RefreshAcrossTabsDeps {
  storage: TokenStorage
  tokenFormat: TokenFormat
  /** This tab's session when the refresh starts. */
  current(): Session | null
  /** Whether a stored session can be used as is (not due for renewal). */
  isFresh(stored: Session): boolean
  now(): number
  /** The user's refresh call. */
  refresh(): Promise<RefreshResult>
  /** Stores the new tokens; runs before the lock is released, so the next tab sees them. */
  save(result: RefreshResult): Promise<void>
}

/**
 * Refreshes while holding the storage's lock. If another tab refreshed while this one
 * waited, its tokens are taken instead: presenting the refresh token it just rotated
 * would count as reuse and revoke the session for every tab.
 */
export function refreshAcrossTabs(deps: RefreshAcrossTabsDeps): Promise<RefreshResult> {
  const { storage } = deps
  if (!storage.lock) return deps.refresh()
  // the token this tab wanted to replace; it may adopt the newer one while it waits
  const replacing = deps.current()?.accessToken
  return storage.lock(async () => {
    const stored = sessionFromStorage(await storage.get(), deps.tokenFormat)
    if (stored && replacing && stored.accessToken !== replacing && deps.isFresh(stored)) {
      return {
        accessToken: stored.accessToken,
        refreshToken: stored.refreshToken,
        expiresIn: stored.expiresAt === null ? undefined : (stored.expiresAt - deps.now()) / 1000,
      }
    }
    const result = await deps.refresh()
    await deps.save(result)
    return result
  })
}

/** Calls `onChange` with what another tab stored (`null`: it logged out). */
export function followOtherTabs(
  storage: TokenStorage,
  tokenFormat: TokenFormat,
  onChange: (stored: Session | null) => void,
): () => void {
  if (!storage.subscribe) return () => {}
  return storage.subscribe(() => {
    Promise.resolve()
      .then(() => storage.get())
      .then(
        (stored) => onChange(sessionFromStorage(stored, tokenFormat)),
        () => {},
      )
  })
}
