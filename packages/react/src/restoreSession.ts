import type { SessionControls } from '@retoken/core'
import type { RestoreStrategy } from './types'

// One restore per auth object, however many providers mount it (StrictMode mounts twice,
// routes remount): a second silent refresh would spend a rotated cookie for nothing.
const restores = new WeakMap<SessionControls, Promise<void>>()

/** The auth objects whose restore has finished, so a provider mounted again shows the session at once. */
export const restoredAuths: WeakSet<SessionControls> = new WeakSet()

/** Resumes `auth`'s session by `strategy`, once per `auth`; never rejects. */
export function restoreSession(auth: SessionControls, strategy: RestoreStrategy): Promise<void> {
  let restoring = restores.get(auth)
  if (!restoring) {
    restoring = (async () => {
      try {
        if (strategy === 'storage') {
          await auth.restore()
          // renews a stored token that expired while the page was closed
          if (auth.getState().status === 'authenticated') await auth.getAccessToken()
        } else if (strategy === 'refresh') {
          await auth.refresh()
        } else if (strategy !== 'none') {
          await strategy(auth)
        }
      } catch {
        // no session to resume is the normal case for a first visit, not an error to show
      }
      restoredAuths.add(auth)
    })()
    restores.set(auth, restoring)
  }
  return restoring
}
