import type { TabsPlugin } from '../engine/extensions'
import { storageLink } from '../tabs/storageLink'

/**
 * Coordinates the processes (or tabs) that share a custom storage through its own
 * `lock` and `subscribe`: one refresh at a time, a ledger of spent refresh tokens
 * kept beside the session, logins and logouts ordered with refreshes. The storage
 * must store what it is given as is. For Redis or a file use `@retoken/redis` or
 * `fileStorage()`, whose writes are atomic.
 * @example createAuth({ refresh, storage: myStorage, tabs: coordinateStorage() })
 */
export function coordinateStorage(): TabsPlugin {
  return (engine) => storageLink(engine)
}
