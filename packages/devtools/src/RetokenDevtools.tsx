import type { SessionControls } from '@retoken/core'
import { lazy, Suspense, useEffect, useState } from 'react'
import { styles } from './styles'
import { createTimelineRecorder, type TimelineRecorder } from './timelineRecorder'

const DevtoolsPanel = lazy(() => import('./DevtoolsPanel'))

/** Props of {@link RetokenDevtools}. */
export interface RetokenDevtoolsProps {
  /** The session to watch, from `createAuth()`. Only its public events and state are read. */
  auth: SessionControls
  /**
   * `'floating'` shows a toggle button in a corner; `'embedded'` renders the panel in place.
   * @default 'floating'
   */
  mode?: 'floating' | 'embedded'
  /** Whether the panel starts open. @default false, or true when embedded */
  initialOpen?: boolean
  /** Timeline rows kept. @default 300 */
  limit?: number
  /** The clock given to `createAuth({ now })`, so the countdowns agree with it. @default Date.now */
  now?: () => number
}

/**
 * The devtools panel, rendered in every environment (see the package's default export for
 * the one that renders nothing in production).
 * @example <RetokenDevtools auth={auth} mode="embedded" />
 */
export function RetokenDevtools({
  auth,
  mode = 'floating',
  initialOpen = mode === 'embedded',
  limit = 300,
  now = Date.now,
}: RetokenDevtoolsProps) {
  const [open, setOpen] = useState(initialOpen)
  const [recorder, setRecorder] = useState<TimelineRecorder | null>(null)
  const [tabRole, setTabRole] = useState('holds its own refresh')
  useEffect(() => {
    // recording starts at mount, so the timeline is full when the panel first opens
    const next = createTimelineRecorder(auth, { limit })
    setRecorder(next)
    const on = auth.on as unknown as (
      type: string,
      listener: (event: { source?: string }) => void,
    ) => () => void
    const off = on('refreshSucceeded', (event) => {
      if (event.source === 'other-tab') setTabRole('follows another tab’s refresh')
      else if (event.source === 'this-tab') setTabRole('held the last refresh')
    })
    return () => {
      off()
      next.dispose()
    }
  }, [auth, limit])
  const panel = open && recorder && (
    <section
      className={mode === 'floating' ? 'rtdt rtdt-floating' : 'rtdt'}
      aria-label="retoken devtools"
    >
      <div className="rtdt-head">
        <h2>retoken devtools</h2>
        {mode === 'floating' && (
          <button type="button" onClick={() => setOpen(false)}>
            Close
          </button>
        )}
      </div>
      <Suspense fallback={<p className="rtdt-note">Loading…</p>}>
        <DevtoolsPanel auth={auth} recorder={recorder} tabRole={tabRole} now={now} />
      </Suspense>
    </section>
  )
  return (
    <>
      <style>{styles}</style>
      {mode === 'floating' && !open && (
        <button
          type="button"
          className="rtdt-toggle"
          aria-expanded={false}
          onClick={() => setOpen(true)}
        >
          retoken devtools
        </button>
      )}
      {panel}
    </>
  )
}
