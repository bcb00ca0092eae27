/** A listener called after the state changed. */
export type Listener = () => void

/** A minimal external store: immutable snapshots, listeners told only on real change. */
export interface Store<T extends object> {
  getState(): T
  setState(patch: Partial<T>): void
  subscribe(listener: Listener): () => void
}

/** Creates a store whose snapshot keeps its identity until a field changes (`Object.is`). */
export function createStore<T extends object>(initial: T): Store<T> {
  let state = Object.freeze({ ...initial })
  const listeners = new Set<Listener>()
  return {
    getState: () => state,
    setState(patch) {
      const changed = (Object.keys(patch) as Array<keyof T>).some(
        (key) => !Object.is(patch[key], state[key]),
      )
      if (!changed) return
      state = Object.freeze({ ...state, ...patch })
      for (const listener of [...listeners]) {
        try {
          listener()
        } catch (error) {
          // a broken listener must not stop the others, nor the refresh that changed the state
          queueMicrotask(() => {
            throw error
          })
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
  }
}
