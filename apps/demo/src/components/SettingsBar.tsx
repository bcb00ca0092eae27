import { useAuth } from '@retoken/react'
import { type ChangeEvent, useState } from 'react'
import { settings } from '../auth'
import { flashNotice } from '../notices'
import {
  type DemoSettings,
  dpopAvailable,
  STORAGE_LABELS,
  type StorageMode,
  saveSettings,
} from '../settings'

/** Storage, auto-refresh and DPoP: kept in localStorage; every tab reloads to apply them. */
export function SettingsBar() {
  const { logout, status } = useAuth()
  const [busy, setBusy] = useState(false)
  const loggedIn = status === 'authenticated'

  const apply = async (next: DemoSettings, endSession: string | null) => {
    setBusy(true)
    // a session kept in one storage (or by one server) means nothing to the next: end it
    if (endSession && loggedIn) {
      await logout().catch(() => {})
      flashNotice(`${endSession}: that ended the session.`)
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
            apply(
              { ...settings, storage: e.target.value as StorageMode },
              `Storage switched to ${STORAGE_LABELS[e.target.value as StorageMode]}`,
            )
          }
        >
          {Object.entries(STORAGE_LABELS).map(([value, label]) => {
            const blocked = settings.dpop && !dpopAvailable(value as StorageMode)
            return (
              <option key={value} value={value} disabled={blocked}>
                {label}
                {blocked ? ' (not with DPoP)' : ''}
              </option>
            )
          })}
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
          onChange={(e) => apply({ ...settings, autoRefresh: e.target.checked }, null)}
        />
        <span>Auto-refresh</span>
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={settings.dpop}
          disabled={!dpopAvailable(settings.storage)}
          data-testid="dpop-switch"
          aria-describedby="dpop-note"
          onChange={(e) =>
            apply(
              { ...settings, dpop: e.target.checked },
              `DPoP turned ${e.target.checked ? 'on' : 'off'} (another server)`,
            )
          }
        />
        <span>DPoP</span>
      </label>
      <span className="hint" id="dpop-note" data-testid="dpop-note">
        {dpopAvailable(settings.storage)
          ? 'Binds tokens to a key this browser keeps: a copied token is refused without it.'
          : 'Not with the cookie mode: the demo runs DPoP on its body-token server only.'}
      </span>
      <a className="button-link" href="/" target="_blank" rel="noopener">
        Open another tab ↗
      </a>
    </fieldset>
  )
}
