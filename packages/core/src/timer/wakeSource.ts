/**
 * Tells retoken that the app may have slept (timers fire late or not at all while it
 * does): calls `onWake` at each wake-up and returns the function that stops listening.
 * @example
 * // React Native: the app came back to the foreground
 * import { AppState } from 'react-native'
 * const appState: WakeSource = (onWake) => {
 *   const subscription = AppState.addEventListener('change', (state) => {
 *     if (state === 'active') onWake()
 *   })
 *   return () => subscription.remove()
 * }
 */
export type WakeSource = (onWake: () => void) => () => void

/** The browser's wake-ups: the page became visible, or the network came back. */
export const browserWakeSource: WakeSource = (onWake) => {
  const onVisible = () => {
    if (document.visibilityState !== 'hidden') onWake()
  }
  if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onVisible)
  if (typeof window !== 'undefined') window.addEventListener('online', onWake)
  return () => {
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', onVisible)
    if (typeof window !== 'undefined') window.removeEventListener('online', onWake)
  }
}
