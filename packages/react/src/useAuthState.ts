import { useRef, useSyncExternalStore } from 'react'
import type { AuthSnapshot } from './types'
import { useAuthBinding } from './useAuthBinding'

interface LastSelection<T, User> {
  snapshot: AuthSnapshot<User>
  selector: (snapshot: AuthSnapshot<User>) => T
  selection: T
}

/**
 * Reads one value from the session and re-renders only when that value changes
 * (by `isEqual`, `Object.is` by default): a silent token refresh re-renders nothing
 * that does not read the token or its claims.
 * @example const name = useAuthState((s: AuthSnapshot<User>) => s.user?.name)
 */
export function useAuthState<T, User = unknown>(
  selector: (snapshot: AuthSnapshot<User>) => T,
  isEqual: (a: T, b: T) => boolean = Object.is,
): T {
  const binding = useAuthBinding<User, unknown>('useAuthState')
  const last = useRef<LastSelection<T, User> | null>(null)
  // useSyncExternalStore calls this on every store change and twice per render, so the
  // selection is cached per (snapshot, selector); an equal selection keeps its old
  // identity, which is what lets React skip the re-render
  const select = (snapshot: AuthSnapshot<User>): T => {
    const previous = last.current
    if (previous?.snapshot === snapshot && previous.selector === selector) {
      return previous.selection
    }
    const next = selector(snapshot)
    const selection = previous && isEqual(previous.selection, next) ? previous.selection : next
    last.current = { snapshot, selector, selection }
    return selection
  }
  return useSyncExternalStore(
    binding.subscribe,
    () => select(binding.getSnapshot()),
    () => select(binding.getServerSnapshot()),
  )
}
