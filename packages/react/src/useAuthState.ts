import { useRef, useSyncExternalStore } from './react'
import type { AuthSnapshot } from './types'
import { useAuthBinding } from './useAuthBinding'

/** The last (snapshot, selector) and what it selected; a tuple, shorter once minified. */
type LastSelection<T, User> = [AuthSnapshot<User>, (snapshot: AuthSnapshot<User>) => T, T]

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
    if (previous?.[0] === snapshot && previous[1] === selector) return previous[2]
    const next = selector(snapshot)
    const selection = previous && isEqual(previous[2], next) ? previous[2] : next
    last.current = [snapshot, selector, selection]
    return selection
  }
  return useSyncExternalStore(
    binding.subscribe,
    () => select(binding.getSnapshot()),
    () => select(binding.getServerSnapshot()),
  )
}
