import { createTabsHost } from '../engine/tabsHost'
import type { TokenStorage } from '../engine/types'
import { nextRecord } from './record'
import { coordinateShared, type SharedView } from './sharedCoordinator'
import type { SharedRecord, SharedStore } from './types'

/**
 * A {@link TokenStorage} on a store that several processes or machines share (Redis,
 * a file): every process follows one session, a refresh happens once per expiry
 * across all of them, and a refresh token is never presented twice. Storage packages
 * (`@retoken/redis`, `fileStorage`) return this; write your own {@link SharedStore}
 * to put a session elsewhere.
 * @example createAuth({ refresh, storage: sharedStorage(myStore) })
 */
export function sharedStorage(store: SharedStore): TokenStorage {
  const view: SharedView = { known: null }
  const remember = (record: SharedRecord | null) => {
    if (record && (!view.known || record.version > view.known.version)) view.known = record
    return view.known
  }
  // used only without coordination (`tabs: false`): newer wins, one write at a time
  async function overwrite(change: 'refresh' | 'logout', session: SharedRecord['session']) {
    for (;;) {
      const base = remember(await store.read())
      const next = nextRecord(base, change, session, Date.now())
      const result = await store.write(next)
      if (result.written) return void remember(next)
      remember(result.current)
    }
  }
  return {
    sharing: 'tabs',
    ...(store.id === undefined ? {} : { id: store.id }),
    tabs: (engine) => coordinateShared(createTabsHost(engine), store, view),
    async get() {
      const record = remember(await store.read())
      return record?.session ?? null
    },
    set: (session) => overwrite('refresh', session),
    remove: () => overwrite('logout', null),
  }
}
