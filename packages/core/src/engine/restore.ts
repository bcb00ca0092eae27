import { readStorage } from './memoryStorage'
import { readSession, replaceSession, type SessionCore } from './sessionCore'

/** The first read of the storage, as the engine waits for it. */
export interface Restore {
  /** Whether an async storage is still being read. */
  readonly pending: boolean
  /** Resolves once the storage has been read. */
  readonly done: Promise<void>
}

/** Reads the stored session once; synchronous storages at once, so the very first snapshot is right. */
export function restoreSession(core: SessionCore): Restore {
  const reading = readStorage(core.storage, (value) => {
    const next = readSession(core, value)
    // a login that happened while an async storage was read wins over what it held
    if (next && core.session === null && core.epoch === 0) replaceSession(core, next)
  })
  const checking = reading ? reading.then(() => checkDpopKey(core)) : checkDpopKey(core)
  let pending = checking !== undefined
  const done = checking
    ? checking.then(() => {
        pending = false
      })
    : Promise.resolve()
  return {
    get pending() {
      return pending
    },
    done,
  }
}

/**
 * A DPoP-bound session restored without its key (IndexedDB cleared, another process,
 * no `dpop()`) could only earn refusals: it is dropped once, before anything uses it.
 */
function checkDpopKey(core: SessionCore) {
  const restored = core.session
  if (!restored?.tokenType) return
  return (core.dpop?.thumbprint() ?? Promise.resolve(null)).then(
    (jkt) => {
      if (core.session === restored && restored.dpopJkt !== jkt) {
        replaceSession(core, null)
        return core.remove()
      }
    },
    () => {},
  )
}
