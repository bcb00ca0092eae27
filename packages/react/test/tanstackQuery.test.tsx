import { isRefreshFailedError, isSessionExpiredError, syncQueryClient } from '@retoken/core'
import { demoUser } from '@retoken/mock-server'
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query'
import { act, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp, useMockAuthServer } from './harness'

type App = ReturnType<typeof createApp>

function Profile({ app }: { app: App }) {
  const me = useQuery({
    queryKey: ['me'],
    queryFn: async ({ signal }) => (await app.api.get('/auth/me', { signal })).data,
  })
  if (me.isError) return <p role="alert">{String(me.error)}</p>
  return <p data-testid="name">{me.data ? me.data.name : 'loading'}</p>
}

// A second user the mock server knows, to tell two users' data apart.
const otherUser = { ...demoUser, id: 'user_other', email: 'other@retoken.dev', name: 'Other User' }

describe('syncQueryClient with @tanstack/react-query', () => {
  const { server } = useMockAuthServer({ users: [demoUser, otherUser] })
  const stops: (() => void)[] = []
  afterEach(() => {
    for (const stop of stops.splice(0)) stop()
  })

  const setup = async (queryClient = new QueryClient()) => {
    const app = createApp()
    stops.push(syncQueryClient(app.auth, queryClient))
    await app.auth.setTokens(await server.issueTokens())
    render(
      <QueryClientProvider client={queryClient}>
        <Profile app={app} />
      </QueryClientProvider>,
    )
    await screen.findByText('Demo User')
    return { app, queryClient }
  }

  it('should clear the cache on logout, so the next user never sees the last one’s data', async () => {
    const { app, queryClient } = await setup()
    expect(queryClient.getQueryData(['me'])).toMatchObject({ name: 'Demo User' })
    await act(() => app.auth.logout())
    expect(queryClient.getQueryCache().getAll()).toEqual([])
  })

  it('should clear the cache when another user’s session replaces this one', async () => {
    const { app, queryClient } = await setup()
    await act(async () => app.auth.setTokens(await server.issueTokens(otherUser.email)))
    expect(queryClient.getQueryData(['me'])).toBeUndefined()
  })

  it('should clear the cache on session expiry and not retry the SessionExpiredError', async () => {
    const { app, queryClient } = await setup()
    server.faults.revokeAllSessions()
    let failures = 0
    const seen = await act(() =>
      queryClient
        .fetchQuery({
          queryKey: ['orders'],
          queryFn: async () => {
            try {
              return (await app.api.get('/api/orders')).data
            } catch (error) {
              failures += 1
              throw error
            }
          },
        })
        .catch((error: unknown) => error),
    )
    expect(isSessionExpiredError(seen)).toBe(true)
    // no retry, though the client's default is three
    expect(failures).toBe(1)
    expect(server.counters.refreshCalls).toBe(1)
    await waitFor(() => expect(queryClient.getQueryCache().getAll()).toEqual([]))
    expect(app.auth.getState().status).toBe('unauthenticated')
  })

  it('should fetch a query again once the session is back after a refresh that failed for now', async () => {
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } })
    const { app } = await setup(queryClient)
    server.clock.setOffset(61)
    server.faults.failNextRefresh(1, 'network-error')
    await act(() => queryClient.refetchQueries({ queryKey: ['me'] }))
    const state = queryClient.getQueryState(['me'])
    expect(state?.status).toBe('error')
    expect(isRefreshFailedError(state?.error)).toBe(true)
    expect(app.auth.getState().status).toBe('authenticated')

    const fetchesBefore = server.counters.requestsByRoute['GET /auth/me'] ?? 0
    await act(() => app.auth.refresh())
    await waitFor(() => expect(queryClient.getQueryState(['me'])?.status).toBe('success'))
    expect(server.counters.requestsByRoute['GET /auth/me']).toBe(fetchesBefore + 1)
    expect(screen.getByTestId('name')).toHaveTextContent('Demo User')
  })

  it('should keep the app’s own retry rule for other errors, and give it back when stopped', async () => {
    const own = (failureCount: number) => failureCount < 1
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: own } } })
    const app = createApp()
    const stop = syncQueryClient(app.auth, queryClient)
    const retry = queryClient.getDefaultOptions().queries?.retry as (
      n: number,
      e: unknown,
    ) => boolean
    expect(retry(0, new Error('network down'))).toBe(true)
    expect(retry(1, new Error('network down'))).toBe(false)
    stop()
    expect(queryClient.getDefaultOptions().queries?.retry).toBe(own)
  })
})
