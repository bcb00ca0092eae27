import { autoRefresh, createAuth, type TokenStorage, type WakeSource } from '@retoken/core'

/**
 * What this needs of a key-value store: AsyncStorage as it is; for expo-secure-store pass
 * { getItem: getItemAsync, setItem: setItemAsync, removeItem: deleteItemAsync }.
 */
export interface KeyValueStore {
  getItem(key: string): Promise<string | null>
  setItem(key: string, value: string): Promise<void>
  removeItem(key: string): Promise<void>
}

/** The session in an async store; retoken waits for the first read before any request. */
export function keyValueStorage(store: KeyValueStore, key = 'retoken.session'): TokenStorage {
  return {
    // a value retoken cannot use (garbage, another app's) counts as no session
    get: async () => JSON.parse((await store.getItem(key)) ?? 'null'),
    set: (session) => store.setItem(key, JSON.stringify(session)),
    remove: () => store.removeItem(key),
  }
}

/** What this needs of React Native's `AppState`. */
export interface AppStateLike {
  addEventListener(type: 'change', listener: (state: string) => void): { remove(): void }
}

/** Timers do not run in the background: check the token when the app is active again. */
export const appStateWake =
  (appState: AppStateLike): WakeSource =>
  (onWake) => {
    const subscription = appState.addEventListener('change', (state) => {
      if (state === 'active') onWake()
    })
    return () => subscription.remove()
  }

// In the app: import AsyncStorage from '@react-native-async-storage/async-storage'
// and { AppState } from 'react-native', then createAppAuth(AsyncStorage, AppState, url).
export function createAppAuth(store: KeyValueStore, appState: AppStateLike, apiUrl: string) {
  return createAuth({
    refresh: async ({ refreshToken, signal }) => {
      const response = await fetch(`${apiUrl}/auth/refresh`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
        signal,
      })
      if (!response.ok)
        throw Object.assign(new Error('refresh failed'), { status: response.status })
      return response.json()
    },
    storage: keyValueStorage(store),
    autoRefresh: autoRefresh({ wake: appStateWake(appState) }),
  })
}
