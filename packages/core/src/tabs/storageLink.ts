import type { TabsEngine, TabsHost, TabsLink } from '../engine/extensions'
import { createTabsHost } from '../engine/tabsHost'
import { coordinateShared } from '../shared/sharedCoordinator'
import { storageAsShared } from '../shared/storageAsShared'

/**
 * Coordination through the storage's own `lock` and `subscribe`, where the browser's
 * (Web Locks, IndexedDB, BroadcastChannel) is missing: a custom storage shared by
 * processes, or `localStorage` where IndexedDB is disabled. It runs the same protocol
 * as a shared store (conditional writes, a ledger of spent tokens; see
 * docs/decisions/014). `null` when the storage has neither.
 */
export function storageLink(
  engine: TabsEngine,
  host: TabsHost = createTabsHost(engine),
): TabsLink | null {
  const { storage } = host
  if (!storage.lock && !storage.subscribe) return null
  return coordinateShared(host, storageAsShared(storage), { known: null })
}
