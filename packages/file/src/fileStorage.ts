import { sharedStorage, type TokenStorage } from '@retoken/core'
import { fileStore } from './fileStore'
import type { FileStoreOptions } from './options'

/**
 * A `TokenStorage` in one file that several processes on one machine share (a CLI
 * and its background helper, dev servers, editor extensions): every process follows
 * one session, and a refresh happens once per expiry across all of them. No Redis:
 * a lock file orders the refreshes and a conditional write keeps a refresh token from
 * ever being presented twice. Node only.
 * @example
 * const auth = createAuth({
 *   refresh,
 *   storage: fileStorage(join(homedir(), '.my-cli', 'session.json')),
 * })
 */
export function fileStorage(path: string, options: FileStoreOptions = {}): TokenStorage {
  return sharedStorage(fileStore(path, options))
}
