import { useCallback, useRef, useSyncExternalStore } from 'react'
import type { AuthSnapshot } from './types'
import { useAuthBinding } from './useAuthBinding'

/**
 * Reads one value from the session and re-renders only when that value changes
 * (by `isEqual`, `Object.is` by default): a silent token refresh re-renders nothing
 * that does not read the token or its claims.
 * @example const name = useAuthState((s) => s.user?.name)
 */
export function useAuthState<T, User = unknown>(
  selector: (snapshot: AuthSnapshot<User>) => T,
  isEqual: (a: T, b: T) => boolean = Object.is,
): T {
  const binding = useAuthBinding<User, unknown>('useAuthState')
  // the last selection, reused while the snapshot (or an equal selection) stays
  const last = useRef<{ snapshot: AuthSnapshot<User>; selection: T } | null>(null)
  const select = useCallback(
    (snapshot: AuthSnapshot<User>) => {
      const previous = last.current
      if (previous?.snapshot === snapshot) return previous.selection
      const selection = selector(snapshot)
      if (previous && isEqual(previous.selection, selection)) {
        last.current = { snapshot, selection: previous.selection }
        return previous.selection
      }
      last.current = { snapshot, selection }
      return selection
    },
    [selector, isEqual],
  )
  return useSyncExternalStore(
    binding.subscribe,
    () => select(binding.getSnapshot()),
    () => select(binding.getServerSnapshot()),
  )
}
