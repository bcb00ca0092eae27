import { InvalidOptionsError } from '@retoken/core'

/** Options of {@link fileStore} and {@link fileStorage}. */
export interface FileStoreOptions {
  /**
   * How old (ms) a lock file may get before another process takes it over: how long
   * the others wait when a process dies holding the lock. Keep it at least twice
   * `createAuth`'s `refreshTimeout`, so a live holder is never taken for dead; the
   * holder renews its lock file every `staleMs / 2` while it works.
   * @default 30_000 (twice the default `refreshTimeout` of 15 s)
   */
  staleMs?: number
  /**
   * Changes are reported once the file has been quiet this long (ms), since one
   * atomic write shows up as several file system events.
   * @default 10
   */
  debounceMs?: number
  /**
   * How often (ms) to look at the file where watching it is not possible (some
   * network and container file systems), and the longest pause between two tries of
   * a busy lock.
   * @default 250
   */
  pollMs?: number
  /**
   * `'poll'` looks at the file every `pollMs` instead of watching it, for file
   * systems where `fs.watch` misses changes; `'watch'` falls back to polling by itself
   * where watching fails outright.
   * @default 'watch'
   */
  follow?: 'watch' | 'poll'
}

/** The options with their defaults, checked. */
export interface ResolvedFileStoreOptions {
  staleMs: number
  debounceMs: number
  pollMs: number
  follow: 'watch' | 'poll'
}

/** proper-lockfile's own floor: it renews a lock file at most once a second. */
const MIN_STALE_MS = 2_000

/** Fills in the defaults; a value that cannot work throws `InvalidOptionsError`. */
export function resolveOptions(path: unknown, options: FileStoreOptions): ResolvedFileStoreOptions {
  if (typeof path !== 'string' || path.trim() === '') {
    throw new InvalidOptionsError('path', `must be a non-empty file path, got ${String(path)}`)
  }
  const resolved = {
    staleMs: options.staleMs ?? 30_000,
    debounceMs: options.debounceMs ?? 10,
    pollMs: options.pollMs ?? 250,
    follow: options.follow ?? 'watch',
  }
  if (!(Number.isFinite(resolved.staleMs) && resolved.staleMs >= MIN_STALE_MS)) {
    throw new InvalidOptionsError(
      'staleMs',
      `must be at least ${MIN_STALE_MS} ms (and twice refreshTimeout), got ${String(options.staleMs)}`,
    )
  }
  for (const key of ['debounceMs', 'pollMs'] as const) {
    if (!(Number.isFinite(resolved[key]) && resolved[key] >= 0)) {
      throw new InvalidOptionsError(key, `must be a number of ms >= 0, got ${String(options[key])}`)
    }
  }
  if (resolved.follow !== 'watch' && resolved.follow !== 'poll') {
    throw new InvalidOptionsError(
      'follow',
      `must be 'watch' or 'poll', got ${String(options.follow)}`,
    )
  }
  resolved.pollMs = Math.max(resolved.pollMs, 10)
  return resolved
}
