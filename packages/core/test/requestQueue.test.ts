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
})
