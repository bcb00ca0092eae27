import { getEventListeners } from 'node:events'
import { isCancel } from 'axios'
import { describe, expect, it } from 'vitest'
import { createRequestQueue } from '../src/engine/requestQueue'

describe('RequestQueue', () => {
  it('should release waiters in the order they joined', async () => {
    const queue = createRequestQueue<string>()
    const order: number[] = []
    const waits = [1, 2, 3].map((n) => queue.wait().then(() => order.push(n)))
    queue.release('token')
    await Promise.all(waits)
    expect(order).toEqual([1, 2, 3])
    expect(queue.size).toBe(0)
  })

  it('should reject an aborted waiter at once and keep the others', async () => {
    const queue = createRequestQueue<string>()
    const controller = new AbortController()
    const aborted = queue.wait(controller.signal)
    const kept = queue.wait()
    controller.abort()
    await expect(aborted).rejects.toSatisfy(isCancel)
    expect(queue.size).toBe(1)
    queue.release('token')
    await expect(kept).resolves.toBe('token')
  })

  it('should reject a waiter whose signal is already aborted', async () => {
    const queue = createRequestQueue<string>()
    await expect(queue.wait(AbortSignal.abort())).rejects.toSatisfy(isCancel)
    expect(queue.size).toBe(0)
  })

  it('should fail every waiter with the same error', async () => {
    const queue = createRequestQueue<string>()
    const error = new Error('refresh failed')
    const waits = [queue.wait(), queue.wait()]
    queue.rejectAll(error)
    for (const wait of waits) await expect(wait).rejects.toBe(error)
  })

  describe('abort listeners', () => {
    const WAITERS = 10_000
    const queued = (queue: ReturnType<typeof createRequestQueue<string>>, signal: AbortSignal) =>
      Array.from({ length: WAITERS }, () => queue.wait(signal).catch((error: unknown) => error))

    it('should leave no listener on the signal once 10,000 waiters were released', async () => {
      const queue = createRequestQueue<string>()
      const { signal } = new AbortController()
      const waits = queued(queue, signal)
      expect(getEventListeners(signal, 'abort')).toHaveLength(WAITERS)
      queue.release('token')
      expect(new Set(await Promise.all(waits))).toEqual(new Set(['token']))
      expect(getEventListeners(signal, 'abort')).toHaveLength(0)
    })

    it('should leave no listener on the signal once 10,000 waiters were failed', async () => {
      const queue = createRequestQueue<string>()
      const { signal } = new AbortController()
      const waits = queued(queue, signal)
      const error = new Error('refresh failed')
      queue.rejectAll(error)
      expect(new Set(await Promise.all(waits))).toEqual(new Set([error]))
      expect(getEventListeners(signal, 'abort')).toHaveLength(0)
    })

    it('should leave no listener on the signal once 10,000 waiters aborted with it', async () => {
      const queue = createRequestQueue<string>()
      const controller = new AbortController()
      const waits = queued(queue, controller.signal)
      controller.abort()
      const outcomes = await Promise.all(waits)
      expect(outcomes.every((outcome) => isCancel(outcome))).toBe(true)
      expect(queue.size).toBe(0)
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
    })
  })
})
