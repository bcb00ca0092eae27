import { RetokenError } from '@retoken/core'

/** What went wrong with the session file, for code that handles each case. */
export type FileStoreErrorCode =
  /** The file exists but cannot be read (permissions, a directory in its place). */
  | 'unreadable'
  /** The file (or its directory) cannot be written. */
  | 'unwritable'
  /** A lock file could not be created or removed (permissions, a read-only disk). */
  | 'lock-failed'
  /** Another process held the write lock for longer than the stale time allows. */
  | 'lock-timeout'
  /** A lock this process held was taken over (it went stale while held) or removed. */
  | 'lock-compromised'

/**
 * The session file or one of its lock files failed. Through `fileStorage` it reaches
 * callers as the core's transient `RefreshFailedError` (the session is kept); the
 * message names the file and the system error, never a token.
 */
export class FileStoreError extends RetokenError {
  override name = 'FileStoreError' as const
  /** Which failure this is. */
  readonly code: FileStoreErrorCode

  constructor(code: FileStoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}

/** Tells whether a value is a {@link FileStoreError}, across realms. */
export function isFileStoreError(error: unknown): error is FileStoreError {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'FileStoreError'
  )
}

/** The system error's code and message only: a stack or a path is all it may add. */
export function systemCause(error: unknown): Error {
  const code = (error as { code?: unknown })?.code
  const message = error instanceof Error ? error.message : String(error)
  return Object.assign(new Error(message), typeof code === 'string' ? { code } : {})
}
