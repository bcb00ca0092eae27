import axios, { type AxiosInstance } from 'axios'
import { IDBFactory } from 'fake-indexeddb'
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import {
  type Auth,
  type AuthOptions,
  coordinateTabs,
  createAuth,
  type StoredSession,
  type TokenStorage,
} from '../src/index'
import { API, useMockAuthServer } from './harness'

type TabId = 0 | 1
type Step =
  | { kind: 'request'; tab: TabId; count: number }
  | { kind: 'abortedRequest'; tab: TabId }
  | { kind: 'expire' }
  | { kind: 'refresh'; tab: TabId }
  | { kind: 'failNextRefresh' }
  | { kind: 'logout'; tab: TabId }
  | { kind: 'login'; tab: TabId }
  | { kind: 'garbage' }
  | { kind: 'settle' }

const tab = fc.constantFrom<TabId>(0, 1)
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('request' as const),
      tab,
      count: fc.integer({ min: 1, max: 4 }),
    }),
  },
  fc.record({ kind: fc.constant('abortedRequest' as const), tab }),
  { weight: 3, arbitrary: fc.constant({ kind: 'expire' as const }) },
  fc.record({ kind: fc.constant('refresh' as const), tab }),
  fc.constant({ kind: 'failNextRefresh' as const }),
  fc.record({ kind: fc.constant('logout' as const), tab }),
  fc.record({ kind: fc.constant('login' as const), tab }),
  fc.constant({ kind: 'garbage' as const }),
  { weight: 2, arbitrary: fc.constant({ kind: 'settle' as const }) },
)

const RUNS = Number(process.env.PROPERTY_RUNS ?? 2_000)

/**
 * Two tabs of one origin in one process (fake-indexeddb, Node's BroadcastChannel, the
 * IndexedDB lease as lock), sharing a stale "localStorage" that each tab reads only
 * as it last wrote it, against the mock server with rotation and reuse detection.
 */
describe('tabs under random interleavings', () => {
  const { server, clock } = useMockAuthServer({ reuseGraceSeconds: 0 })

  it('should settle everything, present no spent token, keep one refresh in flight and let the newest change win', async () => {
    let run = 0
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), async (steps) => {
        run += 1
        server.reset()
        vi.stubGlobal('window', globalThis)
        vi.stubGlobal('indexedDB', new IDBFactory())
        let inFlight = 0
        let maxInFlight = 0
        let written: StoredSession | null = null
        const retries = new Map<string, number>()
        const refresh: AuthOptions['refresh'] = async ({ refreshToken, signal }) => {
          inFlight += 1
          maxInFlight = Math.max(maxInFlight, inFlight)
          try {
            return (await axios.post(`${API}/auth/refresh`, { refreshToken }, { signal })).data
          } finally {
            inFlight -= 1
          }
        }
        const open = () => {
          let mine = written
          const storage: TokenStorage = {
            sharing: 'tabs',
            get: () => mine,
            set: (value) => {
              mine = value
              written = value
            },
            remove: () => {
              mine = null
              written = null
            },
          }
          const api: AxiosInstance = axios.create({ baseURL: API })
          const auth: Auth = createAuth({
            refresh,
            storage,
            now: clock.now,
            refreshMargin: 0,
            refreshTimeout: 2_000,
            tabs: coordinateTabs({ name: `p${run}` }),
          })
          auth.attach(api)
          auth.on('requestRetried', ({ request }) => {
            const id = String(request.id)
            retries.set(id, (retries.get(id) ?? 0) + 1)
          })
          return { auth, api }
        }
        const tabs = [open(), open()] as const
        const pending: Promise<unknown>[] = []
        let lastChange: 'login' | 'logout' | null = null
        let ids = 0
        const settle = async () => {
          await Promise.allSettled(pending.splice(0))
          await new Promise((resolve) => setTimeout(resolve, 5))
        }
        try {
          for (const s of steps) {
            if (s.kind === 'request') {
              for (let i = 0; i < s.count; i++) {
                pending.push(
                  tabs[s.tab].api.get('/api/echo', { headers: { 'x-id': String(ids++) } }),
                )
              }
            } else if (s.kind === 'abortedRequest') {
              const controller = new AbortController()
              pending.push(tabs[s.tab].api.get('/api/echo', { signal: controller.signal }))
              controller.abort()
            } else if (s.kind === 'expire') clock.advance(61)
            else if (s.kind === 'refresh') pending.push(tabs[s.tab].auth.refresh())
            else if (s.kind === 'failNextRefresh') server.faults.failNextRefresh(1, 'server-error')
            else if (s.kind === 'logout') {
              await settle()
              await tabs[s.tab].auth.logout()
              lastChange = 'logout'
            } else if (s.kind === 'login') {
              await settle()
              await tabs[s.tab].auth.setTokens(await server.issueTokens())
              lastChange = 'login'
            } else if (s.kind === 'garbage') written = { accessToken: 'not a jwt' } as StoredSession
            else await settle()
          }
          await settle()
          await settle()

          expect(maxInFlight).toBeLessThanOrEqual(1)
          expect(server.counters.reuseDetections).toBe(0)
          expect([...retries.values()].every((n) => n <= 1)).toBe(true)
          const [a, b] = tabs.map((t) => t.auth.getState())
          if (lastChange === 'logout') {
            expect([a?.status, b?.status]).toEqual(['unauthenticated', 'unauthenticated'])
          }
          if (
            lastChange === 'login' &&
            a?.status === 'authenticated' &&
            b?.status === 'authenticated'
          ) {
            // both tabs on the newest session: the same refresh-token family
            expect(a.claims?.sid).toBe(b.claims?.sid)
          }
        } finally {
          for (const t of tabs) t.auth.destroy()
          vi.unstubAllGlobals()
        }
      }),
      { numRuns: RUNS },
    )
  }, 600_000)
})
