import { storeFailed } from './storeFailed'

const isQuiet = () => {
  const mode = typeof process !== 'undefined' ? process.env?.NODE_ENV : undefined
  return mode === 'production' || mode === 'test'
}

let warnedAlone = false

export function warnAlone(error: unknown) {
  if (warnedAlone || isQuiet()) return
  warnedAlone = true
  console.warn(
    `[retoken] the session storage cannot be written (${storeFailed(error).message}): this tab refreshes on its own, and other tabs cannot take over its tokens.`,
  )
}

export function warnUnpublished(error: unknown) {
  if (isQuiet()) return
  console.warn(
    `[retoken] the shared session store failed, so other processes do not know of this login or logout yet: ${storeFailed(error).message}`,
  )
}
