import type { StoredSession } from '../engine/types'

/** A refresh under way in some process: which refresh token it is spending, and until when it may. */
export interface SharedClaim {
  /** Fingerprint of the refresh token being spent (never the token itself). */
  readonly token: string
  /** Random id of the process (of the `auth`) that claimed it. */
  readonly owner: string
  /** Epoch ms after which the claim counts as abandoned (its holder died or stalled). */
  readonly until: number
}

/**
 * What a store shared by processes or machines keeps: the session, the version that
 * orders its changes, the ledger of spent refresh tokens and the refresh under way.
 * Adapters store it as an opaque value next to its `version`; only the core reads it.
 */
export interface SharedRecord {
  /** 1 for the first write, and one more for each write after it. */
  readonly version: number
  /** What the write that made this version did. */
  readonly change: 'login' | 'refresh' | 'logout' | 'claim'
  /** The session every process should use, or `null` after a logout. */
  readonly session: StoredSession | null
  /** Fingerprints of spent refresh tokens, with when they were spent (epoch ms). */
  readonly spent: Readonly<Record<string, number>>
  /** The refresh under way, if any. */
  readonly claim: SharedClaim | null
}

/** How a conditional write ended: `current` is what the store holds when it refused. */
export type SharedWriteResult =
  | { readonly written: true }
  | { readonly written: false; readonly current: SharedRecord | null }

/** Options the core passes to {@link SharedStore.lock}. */
export interface SharedLockOptions {
  /** Give up waiting (reject with its reason) when this aborts. */
  signal: AbortSignal
  /** How long the lock may be held without being renewed, ms. */
  leaseMs: number
}

/**
 * The contract of a store several processes share (Redis, a file, a database row).
 * Correctness rests on `write` alone: it must be atomic. `lock` and `subscribe` only
 * save work. Run `@retoken/storage-test-suite` against an implementation.
 */
export interface SharedStore {
  /** Names the store in messages and in tab/channel names. */
  readonly id?: string
  /**
   * What a process does when `write` fails (not refused: failed, as a full
   * `localStorage` does): `'fail'` makes the refresh a transient failure, since
   * another process may still read the old token and spend it too;
   * `'refresh-alone'` refreshes in this process anyway, for stores no other process
   * can read when they cannot be written.
   * @default 'fail'
   */
  readonly whenUnavailable?: 'fail' | 'refresh-alone'
  /**
   * Set by stores that remove the session on logout instead of writing a logout
   * record (a plain storage without a lock): there, finding nothing after a session
   * means someone logged out.
   */
  readonly emptyMeansLoggedOut?: boolean
  /** Reads the current record, or `null` when nothing was ever written. May lag behind writes. */
  read(): Promise<SharedRecord | null>
  /**
   * Stores `next` only if the stored version is `next.version - 1` (nothing stored
   * counts as version 0), atomically; otherwise returns what is stored, read from
   * the authoritative copy (never from a lagging replica or cache).
   */
  write(next: SharedRecord): Promise<SharedWriteResult>
  /**
   * Runs `task` while this process holds the store's lock (a lease renewed while the
   * task runs); `task` gets a signal that aborts if the lease is lost. Optional.
   */
  lock?<T>(task: (lease: AbortSignal) => Promise<T>, options: SharedLockOptions): Promise<T>
  /**
   * Calls `onChange` after a write by anyone (and after a reconnect, when changes may
   * have been missed); returns the unsubscribe function. Optional: without it the
   * core polls while it waits for another process.
   */
  subscribe?(onChange: () => void): () => void
  /** Releases connections and watchers the store opened for itself. Optional. */
  close?(): void | Promise<void>
}
