import { useSyncExternalStore } from 'react'
import { auth } from './auth'
import { describeError } from './describe'

/** Why this tab is logged out, when it did not do it itself (or a reason kept across a reload). */
let notice: string | null = null
const listeners = new Set<() => void>()
const FLASH_KEY = 'retoken.demo.notice'

const set = (next: string | null) => {
  notice = next
  for (const listener of listeners) listener()
}

// a reason the previous page load left (a storage switch reloads the page)
notice = window.sessionStorage.getItem(FLASH_KEY)
window.sessionStorage.removeItem(FLASH_KEY)

auth.on('tabSync', ({ change }) => {
  if (change === 'logout') set('You were logged out in another tab.')
})
auth.on('sessionExpired', ({ error }) => set(`${describeError(error)}. Log in again.`))
auth.on('loggedIn', () => set(null))
// the session goes on in memory; say what a reload will find
auth.on('storageFailed', ({ operation }) =>
  set(
    operation === 'save'
      ? 'The browser storage is full or unavailable: this session lives in this page only, and a reload logs you out.'
      : 'The browser storage could not be cleared: a reload may bring the old session back.',
  ),
)

/** Keeps a notice for the next page load (the page is about to reload). */
export function flashNotice(text: string): void {
  window.sessionStorage.setItem(FLASH_KEY, text)
}

/** Shows a notice now, or forgets it with `null`. */
export const showNotice = (text: string | null) => set(text)

/** The current notice, or `null`. */
export function useNotice(): string | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    () => notice,
    () => notice,
  )
}
