import lockfile from 'proper-lockfile'
import { FileStoreError, systemCause } from './FileStoreError'

/** A lock file this process holds. */
export interface HeldLock {
  /** Aborts if the lock is lost while held (it went stale and another process took it over). */
  readonly lost: AbortSignal
  /** Removes the lock file; a lock already lost is left to its new holder. */
  release(): Promise<void>
}

/** How {@link acquireLock} waits for a busy lock. */
export interface AcquireOptions {
  staleMs: number
  /** The longest pause between two tries. */
  pollMs: number
  /** Gives up (rejects with its reason) when this aborts. */
  signal?: AbortSignal
  /** Epoch ms after which a busy lock ends in `FileStoreError('lock-timeout')`. */
  deadline: number
  /** Subscribes to changes of the lock files, so a waiter tries again as soon as one is removed. */
  onChange(wake: () => void): () => void
}

/**
 * Takes the lock file `${target}.lock` (a directory: `mkdir` is atomic on every file
 * system), waiting while another process holds it. proper-lockfile renews it every
 * `staleMs / 2` while held and takes over one whose holder stopped renewing it (a
 * process that died); `realpath: false` because `target` itself never exists.
 */
export async function acquireLock(target: string, options: AcquireOptions): Promise<HeldLock> {
  for (let pause = 5; ; pause = Math.min(pause * 2, options.pollMs)) {
    options.signal?.throwIfAborted()
    const lost = new AbortController()
    try {
      const release = await lockfile.lock(target, {
        realpath: false,
        stale: options.staleMs,
        retries: 0,
        // proper-lockfile's default throws from a timer, which would crash the process
        onCompromised: (error) =>
          lost.abort(
            new FileStoreError('lock-compromised', `The lock file ${target}.lock was lost`, {
              cause: systemCause(error),
            }),
          ),
      })
      return {
        lost: lost.signal,
        // a lost lock (ERELEASED) belongs to someone else now; any other failure leaves a
        // lock file behind that goes stale and is taken over
        release: () => release().catch(() => {}),
      }
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ELOCKED') {
        throw new FileStoreError('lock-failed', `Cannot create the lock file ${target}.lock`, {
          cause: systemCause(error),
        })
      }
    }
    if (Date.now() >= options.deadline) {
      throw new FileStoreError(
        'lock-timeout',
        `The lock file ${target}.lock stayed busy past its stale time`,
      )
    }
    await nextTry(Math.min(pause, Math.max(1, options.deadline - Date.now())), options)
  }
}

/** Resolves when a lock file changes or after `ms`; rejects when the signal aborts. */
function nextTry(ms: number, options: AcquireOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const signal = options.signal
    const done = () => {
      clearTimeout(timer)
      stop()
      signal?.removeEventListener('abort', abort)
      resolve()
    }
    const abort = () => {
      done()
      reject(signal!.reason)
    }
    const timer = setTimeout(done, ms)
    const stop = options.onChange(done)
    signal?.addEventListener('abort', abort, { once: true })
  })
}
