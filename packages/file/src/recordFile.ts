import { readFile } from 'node:fs/promises'
import { parseSharedRecord, type SharedRecord } from '@retoken/core'
import writeFileAtomic from 'write-file-atomic'
import { FileStoreError, systemCause } from './FileStoreError'

/** Marks a file as ours, so a file another program wrote reads as corrupt, not as a session. */
const FORMAT = 'retoken-session/1'

/** What the session file holds. */
export type FileContents =
  | { readonly kind: 'missing' }
  /** Not a record of ours (a truncated write by another tool, an edit by hand). */
  | { readonly kind: 'corrupt' }
  | { readonly kind: 'record'; readonly record: SharedRecord }

/** Reads the session file; a file that exists but cannot be read throws `FileStoreError('unreadable')`. */
export async function readRecordFile(path: string): Promise<FileContents> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return { kind: 'missing' }
    throw new FileStoreError('unreadable', `Cannot read the session file ${path}`, {
      cause: systemCause(error),
    })
  }
  return parseContents(text)
}

function parseContents(text: string): FileContents {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { kind: 'corrupt' }
  }
  if (typeof value !== 'object' || value === null) return { kind: 'corrupt' }
  const { format, version, record } = value as Record<string, unknown>
  const parsed = format === FORMAT ? parseSharedRecord(record) : null
  return parsed && parsed.version === version
    ? { kind: 'record', record: parsed }
    : { kind: 'corrupt' }
}

/**
 * Replaces the session file atomically (a temporary file, fsync, rename), readable
 * and writable by its owner only: it holds a refresh token.
 */
export async function writeRecordFile(path: string, record: SharedRecord): Promise<void> {
  const text = JSON.stringify({ format: FORMAT, version: record.version, record })
  try {
    await writeFileAtomic(path, text, { mode: 0o600 })
  } catch (error) {
    throw new FileStoreError('unwritable', `Cannot write the session file ${path}`, {
      cause: systemCause(error),
    })
  }
}
