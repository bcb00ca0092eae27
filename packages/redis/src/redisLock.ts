import type { SharedStore } from '@retoken/core'
import type { RedisConnection } from './client'
import { EXTEND_IF_OWNER, RELEASE_IF_OWNER } from './scripts'

type Command = (args: (string | number)[]) => Promise<unknown>

/** How often a waiter looks again when no release message came (a lost message, a dead holder). */
const POLL_MS = 200

/**
 * The lock: SET NX PX with a random owner, renewed by a heartbeat while the task
 * runs, released and extended only by its owner (Lua compare-and-delete and
 * compare-and-pexpire). Waiters wake on the release message and look again on a
 * bounded poll. It only saves work: the conditional write is what keeps a holder
 * whose lease ran out from overwriting a newer session.
 */
export function redisLock(
  command: Command,
  connection: RedisConnection,
  names: { lock: string; released: string },
): NonNullable<SharedStore['lock']> {
  return async (task, { signal, leaseMs }) => {
    const owner = randomOwner()
    await acquire(owner, signal, leaseMs)
    const lease = new AbortController()
    const heartbeat = setInterval(
      () => {
        command(['EVAL', EXTEND_IF_OWNER, 1, names.lock, owner, leaseMs]).then(
          (extended) => {
            if (Number(extended) !== 1) lease.abort(new Error('The Redis lock was lost'))
          },
          () => {},
        )
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    )
    try {
      return await task(lease.signal)
    } finally {
      clearInterval(heartbeat)
      await command(['EVAL', RELEASE_IF_OWNER, 1, names.lock, owner, names.released]).catch(
        () => {},
      )
    }
  }

  async function acquire(owner: string, signal: AbortSignal, leaseMs: number) {
    let wake = () => {}
    const stop = connection.listen(names.released, () => wake())
    try {
      for (;;) {
        signal.throwIfAborted()
        const reply = await command(['SET', names.lock, owner, 'NX', 'PX', leaseMs])
        if (reply === 'OK') return
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, POLL_MS)
          function done() {
            clearTimeout(timer)
            signal.removeEventListener('abort', done)
            resolve()
          }
          wake = done
          signal.addEventListener('abort', done, { once: true })
        })
      }
    } finally {
      stop()
    }
  }
}

function randomOwner(): string {
  const bytes = new Uint8Array(16)
  globalThis.crypto.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}
