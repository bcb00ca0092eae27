import { describe, expect, it, vi } from 'vitest'
import { createStore } from '../src/engine/store'

describe('createStore', () => {
  it('should keep the snapshot and stay silent when nothing changed', () => {
    const store = createStore({ a: 1, b: 'x' })
    const listener = vi.fn()
    store.subscribe(listener)
    const before = store.getState()
    store.setState({ a: 1 })
    expect(store.getState()).toBe(before)
    expect(listener).not.toHaveBeenCalled()
  })

  it('should publish a new frozen snapshot when a field changes', () => {
    const store = createStore({ a: 1, b: 'x' })
    const listener = vi.fn()
    const unsubscribe = store.subscribe(listener)
    store.setState({ a: 2 })
    expect(store.getState()).toEqual({ a: 2, b: 'x' })
    expect(Object.isFrozen(store.getState())).toBe(true)
    expect(listener).toHaveBeenCalledTimes(1)
    unsubscribe()
    store.setState({ a: 3 })
    expect(listener).toHaveBeenCalledTimes(1)
  })
})
