import { createAuth, syncQueryClient, webStorage } from '@retoken/core'
import { AuthProvider } from '@retoken/react'
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query'
import axios from 'axios'
import type { ReactNode } from 'react'

const api = axios.create({ baseURL: '/' })
const auth = createAuth({
  refresh: async ({ refreshToken, signal }) =>
    (await axios.post('/auth/refresh', { refreshToken }, { signal })).data,
  storage: webStorage(sessionStorage),
})
auth.attach(api)

const queryClient = new QueryClient()
// cleared on logout and expiry, no retry of SessionExpiredError, failed queries refetched
// once a refresh or a login brings the session back
syncQueryClient(auth, queryClient)

export function Providers({ children }: { children: ReactNode }) {
  return (
    <AuthProvider auth={auth} restore="storage">
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </AuthProvider>
  )
}

export function Orders() {
  const orders = useQuery({
    queryKey: ['orders'],
    queryFn: async ({ signal }) => (await api.get('/api/orders', { signal })).data,
  })
  return <pre>{JSON.stringify(orders.data ?? orders.error ?? 'loading')}</pre>
}
