import { delay, type HttpHandler, http } from 'msw'
import type { ServerClock } from './clock'
import type { DpopServer } from './dpop/dpopServer'
import type { EarlyExpiry } from './earlyExpiry'
import type { Faults } from './faults'
import type { RateLimiter } from './rateLimiter'
import type { SessionStore } from './sessions'
import type { TokenSigner } from './tokens'
import type { AuditEntry, AuthServerCounters, AuthServerOptions, MockUser } from './types'

/** Everything a handler reads or changes; one per server instance, never global. */
export interface ServerContext {
  options: AuthServerOptions
  clock: ServerClock
  signer: TokenSigner
  sessions: SessionStore
  limiter: RateLimiter
  faults: Faults
  earlyExpiry: EarlyExpiry
  /** DPoP mode, or `null` when the server ignores proofs. */
  dpop: DpopServer | null
  counters: AuthServerCounters
  audit(entry: Omit<AuditEntry, 'at'>): void
}

type Method = 'get' | 'post'
type Resolver = Parameters<typeof http.get>[1]

/** Declares a route that is counted and honours injected latency. */
export function route(
  ctx: ServerContext,
  method: Method,
  path: string,
  resolver: Resolver,
): HttpHandler {
  const key = `${method.toUpperCase()} ${path}`
  return http[method](`${ctx.options.baseUrl}${path}`, async (info) => {
    ctx.counters.requestsByRoute[key] = (ctx.counters.requestsByRoute[key] ?? 0) + 1
    const latency = ctx.faults.latencyFor(key)
    if (latency > 0) await delay(latency)
    return resolver(info)
  })
}

/** The user as the API shows it. */
export function publicUser({ id, email, name, scopes }: MockUser) {
  return { id, email, name, scopes }
}
