import type { AuthEvents } from '@retoken/core'
import { useEffect, useState } from 'react'
import { auth } from '../auth'

const EVENTS: Array<keyof AuthEvents> = [
  'loggedIn',
  'requestQueued',
  'refreshStarted',
  'refreshSucceeded',
  'refreshFailed',
  'requestRetried',
  'sessionExpired',
  'loggedOut',
]

interface Entry {
  id: number
  at: string
  type: keyof AuthEvents
  count: number
}

/** What retoken did, newest first: the events `auth.on()` reports. */
export function EventLog() {
  const [entries, setEntries] = useState<Entry[]>([])
  useEffect(() => {
    let id = 0
    const offs = EVENTS.map((type) =>
      auth.on(type, () => {
        const at = new Date().toLocaleTimeString()
        setEntries((previous) => {
          const [latest, ...rest] = previous
          // a burst (20 retries) reads better as one line with a count
          if (latest && latest.type === type && latest.at === at) {
            return [{ ...latest, count: latest.count + 1 }, ...rest]
          }
          return [{ id: ++id, at, type, count: 1 }, ...previous].slice(0, 40)
        })
      }),
    )
    return () => {
      for (const off of offs) off()
    }
  }, [])
  return (
    <div className="panel">
      <h2>Events</h2>
      <ol data-testid="event-log" className="log">
        {entries.map((entry) => (
          <li key={entry.id}>
            <time>{entry.at}</time> {entry.type}
            {entry.count > 1 && ` ×${entry.count}`}
          </li>
        ))}
      </ol>
    </div>
  )
}
