import { type FSWatcher, mkdirSync, type Stats, unwatchFile, watch, watchFile } from 'node:fs'

/** Change notifications for a few files of one directory, shared by every listener of a store. */
export interface FileWatch {
  /** Calls `listener` soon after one of the files changed; returns the unsubscribe function. */
  listen(listener: () => void): () => void
  /** Stops watching for good. */
  close(): void
}

/** How {@link watchFiles} watches. */
export interface FileWatchOptions {
  /** The directory the files live in. */
  dir: string
  /** Base names whose changes count (the session file and its lock files). */
  names: readonly string[]
  /** The file polled when the directory cannot be watched. */
  polled: string
  debounceMs: number
  pollMs: number
  /** Poll from the start rather than watch. */
  poll: boolean
}

/**
 * Watches the directory rather than the file: an atomic write replaces the file (a
 * rename), which a watch on the file itself stops seeing, and a lock file's removal
 * is what wakes the processes waiting for it. Where `fs.watch` does not work (some
 * network and container file systems) it falls back to polling the session file.
 * Runs only while someone listens, and never keeps the process alive.
 */
export function watchFiles(options: FileWatchOptions): FileWatch {
  const listeners = new Set<() => void>()
  let watcher: FSWatcher | null = null
  let polling = false
  let pending: ReturnType<typeof setTimeout> | null = null
  let closed = false

  // one atomic write shows up as several events: they are reported once
  const changed = () => {
    if (pending) return
    pending = setTimeout(() => {
      pending = null
      for (const listener of [...listeners]) {
        try {
          listener()
        } catch {
          // one listener's failure is not another's business
        }
      }
    }, options.debounceMs)
    pending.unref?.()
  }

  const onStat = (current: Stats, previous: Stats) => {
    if (
      current.mtimeMs !== previous.mtimeMs ||
      current.ino !== previous.ino ||
      current.size !== previous.size
    ) {
      changed()
    }
  }

  function poll() {
    watcher?.close()
    watcher = null
    if (polling) return
    polling = true
    watchFile(options.polled, { interval: options.pollMs, persistent: false }, onStat)
  }

  function start() {
    if (options.poll) return poll()
    try {
      mkdirSync(options.dir, { recursive: true, mode: 0o700 })
      watcher = watch(options.dir, { persistent: false }, (_event, name) => {
        if (name === null || options.names.includes(name.toString())) changed()
      })
      watcher.on('error', poll)
    } catch {
      poll()
    }
  }

  function stop() {
    watcher?.close()
    watcher = null
    if (polling) unwatchFile(options.polled, onStat)
    polling = false
    if (pending) clearTimeout(pending)
    pending = null
  }

  return {
    listen(listener) {
      if (closed) return () => {}
      // a listener added twice must be removable once per add
      const entry = () => listener()
      listeners.add(entry)
      if (listeners.size === 1) start()
      return () => {
        if (!listeners.delete(entry)) return
        if (listeners.size === 0) stop()
      }
    },
    close() {
      closed = true
      listeners.clear()
      stop()
    },
  }
}
