import { useAuth } from '@retoken/react'
import { type ChangeEvent, useState } from 'react'
import { settings } from '../auth'
import { flashNotice } from '../notices'
import { type DemoSettings, STORAGE_LABELS, type StorageMode, saveSettings } from '../settings'

/** Storage and auto-refresh: kept in localStorage; every tab reloads to apply them. */
export function SettingsBar() {
  const { logout, status } = useAuth()
  const [busy, setBusy] = useState(false)
  const loggedIn = status === 'authenticated'

  const apply = async (next: DemoSettings, endSession: boolean) => {
    setBusy(true)
    // a session kept in one storage means nothing to the next one: end it on the server
    if (endSession && loggedIn) {
      await logout().catch(() => {})
      flashNotice(`Storage switched to ${STORAGE_LABELS[next.storage]}: that ended the session.`)
    }
    saveSettings(next)
    window.location.reload()
  }

  return (
    <fieldset className="settings" disabled={busy}>
      <legend className="visually-hidden">Settings</legend>
      <label className="field inline">
        <span>Session storage</span>
        <select
          value={settings.storage}
          data-testid="storage-select"
          aria-describedby={loggedIn ? 'storage-note' : undefined}
          onChange={(e: ChangeEvent<HTMLSelectElement>) =>
            apply({ ...settings, storage: e.target.value as StorageMode }, true)
          }
        >
          {Object.entries(STORAGE_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {loggedIn && (
        <span className="hint" id="storage-note">
          Switching logs you out.
        </span>
      )}
      <label className="check">
        <input
          type="checkbox"
          checked={settings.autoRefresh}
          data-testid="auto-refresh"
          onChange={(e) => apply({ ...settings, autoRefresh: e.target.checked }, false)}
        />
        <span>Auto-refresh</span>
      </label>
      <a className="button-link" href="/" target="_blank" rel="noopener">
        Open another tab ↗
      </a>
    </fieldset>
  )
}
