'use client'

import { isSessionExpiredError } from '@retoken/core'
import axios from 'axios'
import { useEffect, useState } from 'react'
import { LogoutButton } from '../logout-button'
import { api } from '../providers'

type Order = { id: string; item: string; total: number }

export function Orders() {
  const [orders, setOrders] = useState<Order[] | null>(null)
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    const controller = new AbortController()
    // `api` carries the token, renews it before it expires and retries once on a 401
    api.get<{ orders: Order[] }>('/api/orders', { signal: controller.signal }).then(
      ({ data }) => setOrders(data.orders),
      (error) => {
        // an expired session already shows the login form; a cancel is the unmount
        if (axios.isCancel(error) || isSessionExpiredError(error)) return
        console.error(error)
        setFailed(true)
      },
    )
    return () => controller.abort()
  }, [])
  return (
    <main>
      <LogoutButton />
      <h1>Your orders</h1>
      {failed ? (
        <p role="alert">The orders could not be loaded.</p>
      ) : orders ? (
        <ul>
          {orders.map((order) => (
            <li key={order.id}>
              {order.item}: ${order.total}
            </li>
          ))}
        </ul>
      ) : (
        <p>Loading orders…</p>
      )}
    </main>
  )
}
