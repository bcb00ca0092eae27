import { type AuthSnapshot, useAuth, useAuthState } from '@retoken/react'
import { useEffect, useState } from 'react'
import { api, type DemoUser, settings } from '../auth'
import { describeError } from '../describe'
import { STORAGE_LABELS, sharedByTabs, skewedNow } from '../settings'

interface Order {
  id: string
  item: string
  total: number
}

/** Who is logged in, when the access token expires (counting down), and one API call. */
export function SessionCard() {
  const { logout } = useAuth()
  const name = useAuthState((s: AuthSnapshot<DemoUser>) => s.user?.name)
  const expiresAt = useAuthState((s) => s.expiresAt)
  const isRefreshing = useAuthState((s) => s.isRefreshing)
  const now = useNow()
  const secondsLeft = expiresAt === null ? null : Math.round((expiresAt - now) / 1000)
  const [orders, setOrders] = useState<Order[]>([])
  const [result, setResult] = useState('')

  const loadOrders = async () => {
    setResult('Loading…')
    try {
      setOrders((await api.get<{ orders: Order[] }>('/api/orders')).data.orders)
      setResult('Orders loaded')
    } catch (error) {
      setResult(describeError(error))
    }
  }

  return (
    <section className="card session" aria-labelledby="session-title">
      <h2 id="session-title">
        Hello, <span data-testid="user-name">{name}</span>
      </h2>
      <p className="expiry" data-testid="token-expiry" aria-live="off">
        {expiryText(isRefreshing, secondsLeft)}
      </p>
      <dl className="facts">
        <dt>Storage</dt>
        <dd data-testid="storage-mode">{STORAGE_LABELS[settings.storage]}</dd>
        <dt>Auto-refresh</dt>
        <dd data-testid="auto-refresh-fact">
          {settings.autoRefresh
            ? 'on: renews 4 s before expiry, even while idle'
            : 'off: a request renews an expired token before it is sent (after a 401 if the server expired it first)'}
        </dd>
        <dt>Tabs</dt>
        <dd data-testid="tabs-fact">{tabsFact()}</dd>
      </dl>
      <div className="actions">
        <button type="button" className="primary" onClick={loadOrders}>
          Load orders
        </button>
        <button type="button" onClick={() => logout()}>
          Log out
        </button>
      </div>
      <p className="result" role="status" data-testid="request-result">
        {result}
      </p>
      {orders.length > 0 && (
        <ul className="orders">
          {orders.map((order) => (
            <li key={order.id}>
              {order.item} <span>${order.total}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

function expiryText(isRefreshing: boolean, secondsLeft: number | null) {
  if (isRefreshing) return 'Refreshing the access token…'
  if (secondsLeft === null) return 'The access token has no known expiry'
  if (secondsLeft > 0) {
    return (
      <>
        Access token expires in <strong>{secondsLeft} s</strong>
      </>
    )
  }
  return settings.autoRefresh
    ? 'Access token expired: renewing it now'
    : `Access token expired ${-secondsLeft} s ago: the next request renews it first`
}

function tabsFact() {
  if (!sharedByTabs(settings.storage)) return 'each tab has its own session'
  return settings.coordination
    ? 'share this session and take turns to refresh'
    : 'share this session, not coordinated (tabs: false)'
}

/** The client clock, re-rendering every 500 ms for the countdown. */
function useNow() {
  const [, setTick] = useState(0)
  useEffect(() => {
    const timer = setInterval(() => setTick((tick) => tick + 1), 500)
    return () => clearInterval(timer)
  }, [])
  // read at each render, not kept from the last tick: a token renewed under a new clock
  // skew would otherwise be counted down on the old clock (10 min off) until the next tick
  return skewedNow()
}
