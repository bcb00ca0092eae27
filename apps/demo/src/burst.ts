import { api } from './auth'
import { describeError } from './describe'

/** Sends `count` requests at once; says how many succeeded and why the first failure failed. */
export async function burst(count: number): Promise<{ ok: number; failure: string | null }> {
  const results = await Promise.allSettled(
    Array.from({ length: count }, (_, i) => api.get('/api/echo', { params: { i } })),
  )
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  return {
    ok: results.filter((r) => r.status === 'fulfilled').length,
    failure: failed ? describeError(failed.reason) : null,
  }
}
