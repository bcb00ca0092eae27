/** Removes the listener it was returned for. */
export type Unsubscribe = () => void

/** A typed event emitter; a throwing listener never breaks the others or the caller. */
export interface Emitter<Events extends object> {
  on<K extends keyof Events>(type: K, listener: (payload: Events[K]) => void): Unsubscribe
  emit<K extends keyof Events>(type: K, payload: Events[K]): void
  /** Whether anyone listens to `type`: lets a caller skip building a payload nobody reads. */
  has(type: keyof Events): boolean
  clear(): void
}

/** Creates a typed event emitter. */
export function createEmitter<Events extends object>(): Emitter<Events> {
  const listeners = new Map<keyof Events, Set<(payload: never) => void>>()
  return {
    on(type, listener) {
      const set = listeners.get(type) ?? new Set()
      listeners.set(type, set)
      set.add(listener)
      return () => {
        set.delete(listener)
      }
    },
    emit(type, payload) {
      for (const listener of [...(listeners.get(type) ?? [])]) {
        try {
          ;(listener as (payload: Events[typeof type]) => void)(payload)
        } catch (error) {
          // a broken listener must not break the request that triggered it
          queueMicrotask(() => {
            throw error
          })
        }
      }
    },
    has: (type) => (listeners.get(type)?.size ?? 0) > 0,
    clear: () => listeners.clear(),
  }
}
