import type { TabsHost } from '../engine/extensions'
import { commit } from './commit'
import { releaseClaim, type SharedState } from './sharedState'
import type { SharedRecord } from './types'

// The refresh outlived its caller's timeout: its answer is kept if it still can be.
export function keepLateResult(
  state: SharedState,
  call: Promise<unknown>,
  claim: SharedRecord | null,
  presented: string | null,
  startedIn: number,
) {
  call
    .then(
      async (result) => {
        const built = state.host.build(result as Parameters<TabsHost['build']>[0], presented)
        if (await commit(state, claim, built, presented))
          state.host.adoptLate(built, presented, startedIn)
      },
      () => releaseClaim(state, claim),
    )
    .catch(() => {})
}
