import type { SessionControls } from '@retoken/core'
import { useSyncExternalStore } from 'react'
import { SessionView } from './SessionView'
import { Timeline } from './Timeline'
import { TokenInspector } from './TokenInspector'
import type { TimelineRecorder } from './timelineRecorder'

/** Props of the panel body, loaded on first open. */
export interface DevtoolsPanelProps {
  auth: SessionControls
  recorder: TimelineRecorder
  tabRole: string
  /** The session's clock. */
  now: () => number
}

/** The panel body: session, timeline and token inspector. */
export default function DevtoolsPanel({ auth, recorder, tabRole, now }: DevtoolsPanelProps) {
  const token = useSyncExternalStore(
    auth.subscribe,
    () => auth.getState().accessToken,
    () => auth.getState().accessToken,
  )
  return (
    <>
      <SessionView auth={auth} tabRole={tabRole} clock={now} />
      <Timeline recorder={recorder} />
      <TokenInspector currentToken={token} />
    </>
  )
}
