import type { AuthServer } from '@retoken/mock-server'
import type { ClientFactory } from './clients'

/** What one scenario observed for one library. */
export interface Outcome {
  succeeded: number
  failed: number
  refreshCalls: number
  expiredTokenArrivals: number
  serverRequests: number
  ms: number
}

const BURST = 100

async function burst(server: AuthServer, factory: ClientFactory, prepare: () => void) {
  const client = await factory.create(await server.issueTokens())
  prepare()
  const started = performance.now()
  const results = await Promise.allSettled(
    Array.from({ length: BURST }, (_, i) => client.api.get('/api/echo', { params: { i } })),
  )
  const ms = performance.now() - started
  client.dispose()
  const succeeded = results.filter((r) => r.status === 'fulfilled').length
  return {
    succeeded,
    failed: BURST - succeeded,
    refreshCalls: server.counters.refreshCalls,
    expiredTokenArrivals: server.counters.expiredTokenRequests,
    serverRequests: server.counters.requestsByRoute['GET /api/echo'] ?? 0,
    ms,
  }
}

/** 100 requests at once after the server, not the client, saw the token expire (the 401 path). */
export function expiredOnServer(server: AuthServer, factory: ClientFactory): Promise<Outcome> {
  return burst(server, factory, () => server.clock.setOffset(61))
}

/**
 * 100 requests at once when the client can see the token is about to expire (the
 * proactive path): the client's clock is moved 55 s into a 60 s token's life.
 */
export async function aboutToExpire(server: AuthServer, factory: ClientFactory): Promise<Outcome> {
  const realNow = Date.now
  try {
    // the server keeps the real clock (see run.ts); only the clients' clock moves
    return await burst(server, factory, () => {
      Date.now = () => realNow() + 55_000
    })
  } finally {
    Date.now = realNow
  }
}
