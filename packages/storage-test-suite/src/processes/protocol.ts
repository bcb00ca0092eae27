/** What the parent asks a fleet process to do. */
export type Command =
  | { type: 'burst'; count: number }
  | { type: 'state' }
  | { type: 'login'; tokens: { accessToken: string; refreshToken: string } }
  | { type: 'logout' }
  /** Lets a refresh held by `holdRefresh` go on. */
  | { type: 'release' }

/** What a fleet process answers. */
export interface BurstReport {
  ok: number
  failed: number
  /** Error names (never messages: they could carry a URL with a token). */
  errors: string[]
  /** How long the whole burst took in the process, ms. */
  ms: number
}

/** A process's view of the session. */
export interface StateReport {
  status: 'authenticated' | 'unauthenticated'
  accessToken: string | null
  refreshes: number
}

/** How a fleet process is set up, passed as JSON in its environment. */
export interface ChildConfig {
  /** Base URL of the mock auth server over real HTTP. */
  api: string
  /** A module exporting `createStorage(name)`, resolved from the parent's working directory. */
  storageModule: string
  /** The shared location's name. */
  name: string
  /** Run `autoRefresh()` in the process. */
  autoRefresh?: boolean
  refreshTimeout?: number
  /**
   * Holds this process's refresh calls: `'before'` the call reaches the server,
   * `'after'` the server answered (the token is spent). The process posts
   * `{ event: 'refresh-held' }` and waits for a `release` command, or for SIGKILL.
   */
  holdRefresh?: 'before' | 'after'
}

/** An event a fleet process posts on its own (id -1). */
export interface FleetEvent {
  event: 'refresh-held'
}

/** The message envelope over IPC. */
export type Envelope<T> = { id: number; body: T }
