import axios, { isCancel } from 'axios'
import fc from 'fast-check'
import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import { createAuth, type RefreshContext } from '../src/index'
import { API, refreshWithAxios, useMockAuthServer } from './harness'

type Step =
  | { kind: 'request'; count: number }
  | { kind: 'foreignRequest' }
  | { kind: 'abortedRequest' }
  | { kind: 'expireOnServer' }
  | { kind: 'advanceClient'; seconds: number }
  | { kind: 'failNextRefresh'; mode: 'server-error' | 'network-error' }
  | { kind: 'revokeAll' }
  | { kind: 'logout' }
  | { kind: 'login' }
  | { kind: 'settle' }

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('request' as const), count: fc.integer({ min: 1, max: 6 }) }),
  fc.constant({ kind: 'foreignRequest' as const }),
  fc.constant({ kind: 'abortedRequest' as const }),
  fc.constant({ kind: 'expireOnServer' as const }),
  fc.record({
    kind: fc.constant('advanceClient' as const),
    seconds: fc.integer({ min: 1, max: 90 }),
  }),
  fc.record({
    kind: fc.constant('failNextRefresh' as const),
    mode: fc.constantFrom('server-error' as const, 'network-error' as const),
  }),
  fc.constant({ kind: 'revokeAll' as const }),
  fc.constant({ kind: 'logout' as const }),
  fc.constant({ kind: 'login' as const }),
  fc.constant({ kind: 'settle' as const }),
)

describe('invariants under random interleavings', () => {
  const { server, network, clock } = useMockAuthServer()

  it('should settle every request, retry none twice, refresh one at a time and leak nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        server.reset()
        let offset = 0
        const foreignAuthorization: Array<string | null> = []
        const arrivals = new Map<string, number>()
        const afterLogout: Array<string | null> = []
        const startedLoggedOut = new Set<string>()
        let loggedOut = false
        network.use(
          http.get('https://foreign.example/*', ({ request }) => {
            foreignAuthorization.push(request.headers.get('authorization'))
            return HttpResponse.json({})
          }),
        )
        network.events.removeAllListeners()
        network.events.on('request:start', ({ request }) => {
          const id = request.headers.get('x-id')
          if (id) arrivals.set(id, (arrivals.get(id) ?? 0) + 1)
          if (id && startedLoggedOut.has(id)) afterLogout.push(request.headers.get('authorization'))
        })

        let inFlight = 0
        let maxInFlight = 0
        const auth = createAuth({
          now: clock.now,
          refresh: async (context: RefreshContext) => {
            inFlight += 1
            maxInFlight = Math.max(maxInFlight, inFlight)
            try {
              return await refreshWithAxios(context)
            } finally {
              inFlight -= 1
            }
          },
        })
        const api = axios.create({ baseURL: API })
        auth.attach(api)
        await auth.setTokens(await server.issueTokens())

        const pending: Array<Promise<unknown>> = []
        let nextId = 0
        const send = (config: Parameters<typeof api.get>[1] = {}) => {
          const id = String(nextId++)
          if (loggedOut) startedLoggedOut.add(id)
          const request = api.get('/api/echo', { ...config, headers: { 'x-id': id } })
          // handled now so a rejection before the final allSettled is not reported as unhandled
          request.catch(() => {})
          pending.push(request)
        }

        for (const s of steps) {
          switch (s.kind) {
            case 'request':
              for (let i = 0; i < s.count; i++) send()
              break
            case 'foreignRequest':
              pending.push(api.get('https://foreign.example/x'))
              break
            case 'abortedRequest': {
              const controller = new AbortController()
              send({ signal: controller.signal })
              queueMicrotask(() => controller.abort())
              break
            }
            case 'expireOnServer':
              offset += 61
              server.clock.setOffset(offset)
              break
            case 'advanceClient':
              clock.advance(s.seconds)
              break
            case 'failNextRefresh':
              server.faults.failNextRefresh(1, s.mode)
              break
            case 'revokeAll':
              server.faults.revokeAllSessions()
              break
            case 'logout':
              await auth.logout()
              loggedOut = true
              break
            case 'login':
              loggedOut = false
              await auth.setTokens(await server.issueTokens())
              break
            case 'settle':
              await Promise.allSettled(pending)
              break
          }
        }
        const results = await Promise.allSettled(pending)

        // every request settled, as a response or a known error
        for (const result of results) {
          if (result.status === 'rejected') {
            const error = result.reason as { name?: string; response?: unknown }
            const known =
              isCancel(error) ||
              error.response !== undefined ||
              ['SessionExpiredError', 'RefreshFailedError', 'AxiosError'].includes(
                String(error.name),
              )
            expect(known, String(error)).toBe(true)
          }
        }
        expect(Math.max(0, ...arrivals.values())).toBeLessThanOrEqual(2)
        expect(maxInFlight).toBeLessThanOrEqual(1)
        expect(foreignAuthorization.every((value) => value === null)).toBe(true)
        expect(afterLogout.every((value) => value === null)).toBe(true)
        auth.destroy()
        network.events.removeAllListeners()
      }),
      { numRuns: 40 },
    )
  })
})
