import type { IncomingMessage } from 'node:http'
import type { AuthServer, AuthServerCounters } from '@retoken/mock-server'
import { createNodeMiddleware, type NodeMiddleware } from '@retoken/mock-server/node'

/** A DPoP-mode mock server and the middleware that serves it. */
export interface DpopInstance {
  server: AuthServer
  middleware: NodeMiddleware
}

/**
 * The DPoP-mode mock servers, one per origin the page is opened on. A proof names the
 * URL the browser called (`htu`) and the server checks it against the URL it sees, so
 * this server must live on the page's own origin, which is known only when a request
 * arrives (Vite may pick the port; `localhost` and `127.0.0.1` are two origins).
 */
export function createDpopServers(make: (baseUrl: string) => AuthServer) {
  const byOrigin = new Map<string, DpopInstance>()
  return {
    /** The instance for the origin this request was sent to, made on first use. */
    for(req: IncomingMessage): DpopInstance {
      const secure = 'encrypted' in req.socket && req.socket.encrypted === true
      const origin = `${secure ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`
      let instance = byOrigin.get(origin)
      if (!instance) {
        const server = make(origin)
        instance = { server, middleware: createNodeMiddleware(server, { cors: false }) }
        byOrigin.set(origin, instance)
      }
      return instance
    },
    /** Every DPoP server made so far. */
    all: (): AuthServer[] => [...byOrigin.values()].map((instance) => instance.server),
    /** Their counters as one server's (none made yet: zeros). */
    counters: () => sumCounters([...byOrigin.values()].map((instance) => instance.server.counters)),
  }
}

// their sums, and their routes merged; every numeric counter is summed, so one the mock
// server adds later is counted here without a change
function sumCounters(list: AuthServerCounters[]): AuthServerCounters {
  const total: Record<string, unknown> = {}
  const byRoute: Record<string, number> = {}
  for (const counters of list) {
    for (const [route, n] of Object.entries(counters.requestsByRoute))
      byRoute[route] = (byRoute[route] ?? 0) + n
    for (const [name, value] of Object.entries(counters))
      if (typeof value === 'number')
        total[name] = ((total[name] as number | undefined) ?? 0) + value
  }
  return { ...zeros, ...total, requestsByRoute: byRoute } as AuthServerCounters
}

// what the sum of no servers reads: every counter the demo shows, at zero
const zeros = {
  refreshCalls: 0,
  expiredTokenRequests: 0,
  reuseDetections: 0,
  dpopProofRejections: 0,
  dpopNonceChallenges: 0,
  dpopResourceRefusals: 0,
}
