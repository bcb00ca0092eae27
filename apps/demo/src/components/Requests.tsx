import { isSessionExpiredError } from '@retoken/core'
import { isCancel } from 'axios'
import { useState } from 'react'
import { api } from '../auth'

interface Order {
  id: string
  item: string
  total: number
}

/** Calls the protected API: one request, or a burst that shares one refresh. */
export function Requests() {
  const [orders, setOrders] = useState<Order[]>([])
  const [result, setResult] = useState('')

  const loadOrders = async () => {
    try {
      setOrders((await api.get<{ orders: Order[] }>('/api/orders')).data.orders)
      setResult('Orders loaded')
    } catch (error) {
      setResult(describe(error))
    }
  }

  const burst = async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => api.get('/api/echo', { params: { i } })),
    )
    const ok = results.filter((r) => r.status === 'fulfilled').length
    setResult(`${ok} of 20 requests succeeded`)
  }

  return (
    <div className="panel">
      <h2>Protected API</h2>
      <button type="button" onClick={loadOrders}>
        Load orders
      </button>{' '}
      <button type="button" onClick={burst}>
        Send 20 requests at once
      </button>
      <p data-testid="request-result">{result}</p>
      <ul>
        {orders.map((order) => (
          <li key={order.id}>
            {order.item}: ${order.total}
          </li>
        ))}
      </ul>
    </div>
  )
}

function describe(error: unknown): string {
  if (isSessionExpiredError(error)) return 'Session expired: please log in again'
  if (isCancel(error)) return 'Canceled'
  return error instanceof Error ? error.message : String(error)
}
