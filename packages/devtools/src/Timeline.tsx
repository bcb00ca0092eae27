import { useMemo, useState, useSyncExternalStore } from 'react'
import { describeDpop } from './dpopEntries'
import { formatClock } from './formatTime'
import type { TimelineEntry, TimelineRecorder } from './timelineRecorder'

const describe = (entry: TimelineEntry): string => {
  if (entry.kind === 'request') {
    const status = entry.status === null ? '' : ` ${entry.status}`
    return `${entry.method} ${entry.url}${status} · ${entry.steps.join(' → ')}`
  }
  if (entry.kind === 'refresh') {
    return `refresh (${entry.reason})${entry.tab ? ` · ${entry.tab}` : ''} · ${entry.outcome}`
  }
  if (entry.kind === 'dpop') return describeDpop(entry)
  return entry.label
}

const tone = (text: string) => {
  if (/fail|canceled|expired|401$/.test(text)) return 'rtdt-bad'
  return /succeeded$/.test(text) ? 'rtdt-good' : undefined
}

type Filter = 'all' | TimelineEntry['kind']

/**
 * The timeline, newest first so the latest row is always in view: one row per request,
 * refresh, session change, DPoP proof or nonce retry; filter, pause (events wait and show on resume), clear, export.
 */
export function Timeline({ recorder }: { recorder: TimelineRecorder }) {
  const entries = useSyncExternalStore(
    recorder.subscribe,
    recorder.getSnapshot,
    recorder.getSnapshot,
  )
  const buffered = useSyncExternalStore(
    recorder.subscribe,
    recorder.getBuffered,
    recorder.getBuffered,
  )
  const [filter, setFilter] = useState<Filter>('all')
  const [paused, setPaused] = useState(false)
  const shown = useMemo(
    () => [...(filter === 'all' ? entries : entries.filter((e) => e.kind === filter))].reverse(),
    [entries, filter],
  )
  const exportJson = () => {
    const blob = new Blob([JSON.stringify(entries, null, 2)], { type: 'application/json' })
    const link = document.createElement('a')
    link.href = URL.createObjectURL(blob)
    link.download = 'retoken-timeline.json'
    link.click()
    URL.revokeObjectURL(link.href)
  }
  return (
    <section aria-labelledby="rtdt-timeline">
      <div className="rtdt-tools">
        <h3 id="rtdt-timeline">Timeline</h3>
        <label>
          Show{' '}
          <select value={filter} onChange={(event) => setFilter(event.target.value as Filter)}>
            <option value="all">everything</option>
            <option value="request">requests</option>
            <option value="refresh">refreshes</option>
            <option value="session">session</option>
            <option value="dpop">DPoP</option>
          </select>
        </label>
        <button
          type="button"
          aria-pressed={paused}
          onClick={() => {
            recorder.setPaused(!paused)
            setPaused(!paused)
          }}
        >
          {paused ? `Resume${buffered > 0 ? ` (${buffered} new)` : ''}` : 'Pause'}
        </button>
        <button type="button" onClick={recorder.clear}>
          Clear
        </button>
        <button type="button" onClick={exportJson}>
          Export JSON
        </button>
      </div>
      <p className="rtdt-note">Newest first; times on this device's clock.</p>
      <ol aria-label="Timeline entries, newest first" data-testid="rtdt-timeline">
        {shown.map((entry) => {
          const text = describe(entry)
          return (
            <li key={entry.id} data-kind={entry.kind}>
              <span className="rtdt-time">{formatClock(entry.at)}</span>
              <span className={tone(text)}>{text}</span>
            </li>
          )
        })}
        {shown.length === 0 && <li className="rtdt-note">Nothing yet.</li>}
      </ol>
    </section>
  )
}
