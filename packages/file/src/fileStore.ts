import { mkdir } from 'node:fs/promises'
import { basename, dirname, resolve } from 'node:path'
import type { SharedStore } from '@retoken/core'
import { FileStoreError, systemCause } from './FileStoreError'
import { watchFiles } from './fileWatch'
import { acquireLock } from './lockFile'
import { type FileStoreOptions, resolveOptions } from './options'
import { readRecordFile, writeRecordFile } from './recordFile'

/** A {@link SharedStore} on one file; `close()` stops watching it. */
export interface FileStore extends SharedStore {
  readonly id: string
  close(): void
}

/**
 * The {@link SharedStore} behind {@link fileStorage}: the record in one JSON file
 * (mode 0600, replaced atomically), the lock as a lock file beside it, changes
 * followed by watching the directory. Two lock files: `<file>.lease.lock` is the
 * refresh lease `lock()` holds while a refresh runs, and `<file>.write.lock` is held
 * only for the read-compare-replace of one `write()`, so a conditional write is
 * atomic whether or not its caller holds the lease (the core writes while holding it).
 * @example const store = fileStore(join(homedir(), '.my-cli', 'session.json'))
 */
export function fileStore(path: string, options: FileStoreOptions = {}): FileStore {
  const settings = resolveOptions(path, options)
  const file = resolve(path)
  const dir = dirname(file)
  const lease = `${file}.lease`
  const writing = `${file}.write`
  const watch = watchFiles({
    dir,
    names: [basename(file), `${basename(lease)}.lock`, `${basename(writing)}.lock`],
    polled: file,
    debounceMs: settings.debounceMs,
    pollMs: settings.pollMs,
    poll: settings.follow === 'poll',
  })
  let directory: Promise<void> | null = null
  const ensureDirectory = () => {
    directory ??= mkdir(dir, { recursive: true, mode: 0o700 }).then(
      () => {},
      (error: unknown) => {
        directory = null
        throw new FileStoreError('unwritable', `Cannot create the directory ${dir}`, {
          cause: systemCause(error),
        })
      },
    )
    return directory
  }
  const waiting = (signal: AbortSignal | undefined, deadline: number) => ({
    staleMs: settings.staleMs,
    pollMs: settings.pollMs,
    deadline,
    onChange: (wake: () => void) => watch.listen(wake),
    ...(signal ? { signal } : {}),
  })

  return {
    id: `file:${file}`,

    async read() {
      const contents = await readRecordFile(file)
      return contents.kind === 'record' ? contents.record : null
    },

    async write(next) {
      await ensureDirectory()
      // a holder that died inside its write leaves a lock that goes stale after staleMs
      const held = await acquireLock(writing, waiting(undefined, Date.now() + 2 * settings.staleMs))
      try {
        const contents = await readRecordFile(file)
        const stored = contents.kind === 'record' ? contents.record : null
        // a corrupt file holds no version to conflict with: any write may replace it
        if (contents.kind !== 'corrupt' && (stored?.version ?? 0) !== next.version - 1) {
          return { written: false, current: stored }
        }
        held.lost.throwIfAborted()
        await writeRecordFile(file, next)
        return { written: true }
      } finally {
        await held.release()
      }
    },

    async lock(task, { signal }) {
      await ensureDirectory()
      const held = await acquireLock(lease, waiting(signal, Number.POSITIVE_INFINITY))
      try {
        return await task(held.lost)
      } finally {
        await held.release()
      }
    },

    subscribe: (onChange) => watch.listen(onChange),

    close: () => watch.close(),
  }
}
