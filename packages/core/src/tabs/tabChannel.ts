/**
 * What tabs tell each other; the ledger, not the message, carries the tokens.
 * `version` marks a change of the session all tabs share.
 */
export type TabMessage = { type: 'changed'; version?: number } | { type: 'released' }

/** A BroadcastChannel for one app; `null` where the browser has none. */
export interface TabChannel {
  post(message: TabMessage): void
  listen(listener: (message: TabMessage) => void): () => void
  close(): void
}

/** Opens the channel of app `name`, or returns `null` where BroadcastChannel does not exist. */
export function openTabChannel(name: string): TabChannel | null {
  if (typeof BroadcastChannel === 'undefined') return null
  const channel = new BroadcastChannel(name)
  const listeners = new Set<(message: TabMessage) => void>()
  channel.onmessage = (event: MessageEvent) => {
    const message = event.data as TabMessage
    if (message?.type !== 'changed' && message?.type !== 'released') return
    for (const listener of [...listeners]) listener(message)
  }
  return {
    post: (message) => {
      try {
        channel.postMessage(message)
      } catch {
        // a closed channel (the tab is going away) has nobody left to tell
      }
    },
    listen(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close: () => channel.close(),
  }
}
