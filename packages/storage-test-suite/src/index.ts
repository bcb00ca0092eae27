import { isRefreshFailedError } from '@retoken/core'
import { demoUser } from '@retoken/mock-server'
import { useMockAuthServer } from '@retoken/mock-server/vitest'
import { afterEach, describe, expect, it } from 'vitest'
import {
  burst,
  countsOf,
  openClient,
  refreshThrough,
  SUITE_API,
  type SuiteClient,
  until,
} from './clients'
import { failingWrites, laggingReads, type SuiteStorage } from './faultyStores'

export { failingWrites, isSharedStore, laggingReads, type SuiteStorage } from './faultyStores'

/**
 * Opens one more handle on the shared location called `name`, as another process
 * would (its own connection, its own file descriptor). Every call with the same name
 * must reach the same stored session.
 */
export type StorageFactory = (name: string) => SuiteStorage | Promise<SuiteStorage>

/** What {@link storageTestSuite} may skip or tune for a storage. */
export interface StorageTestSuiteOptions {
  /** How many clients share the store in the multi-client tests. @default 4 */
  clients?: number
  /** Run the lagging-read test (wraps reads). @default true */
  laggingReads?: boolean
  /** Run the failing-write test (wraps writes). @default true */
  failingWrites?: boolean
  /** Whether clients hear of each other's changes (`subscribe`). @default true */
  follows?: boolean
}

/** A gate a held refresh waits at until the test calls `release()`. */
function refreshGate() {
  let release = () => {}
  const gate = new Promise<void>((resolve) => {
    release = resolve
  })
  return { gate, release }
}

const SECOND_USER = { ...demoUser, id: 'user_second', email: 'second@retoken.dev', name: 'Second' }

/**
 * The promises every retoken storage keeps, proven against the mock auth server with
 * rotation and reuse detection (grace 0), counted on the server. A storage's own test
 * file calls it with a factory, as keyv's adapters call `@keyv/test-suite`.
 * @example storageTestSuite('redisStorage', (name) => redisStore(client, { key: name }))
 */
export function storageTestSuite(
  title: string,
  factory: StorageFactory,
  options: StorageTestSuiteOptions = {},
): void {
  const n = options.clients ?? 4
  const follows = options.follows ?? true

  describe(`${title} (retoken storage conformance)`, () => {
    const { server } = useMockAuthServer({
      baseUrl: SUITE_API,
      accessTokenTtl: 60,
      users: [demoUser, SECOND_USER],
    })
    let opened: SuiteClient[] = []
    let names = 0
    const freshName = () => `suite-${Date.now().toString(36)}-${++names}`
    const open = async (store: SuiteStorage, refresh = refreshThrough()) => {
      const client = await openClient(store, refresh)
      opened.push(client)
      return client
    }
    let offset = 0
    afterEach(() => {
      for (const { auth } of opened) auth.destroy()
      opened = []
      offset = 0
    })

    /** Moves the server's clock past the access token's life: every client's next request earns a 401. */
    const expire = () => {
      offset += 61
      server.clock.setOffset(offset)
    }

    async function loggedInClients(name: string, count: number) {
      const first = await open(await factory(name))
      await first.auth.setTokens(await server.issueTokens())
      const rest = []
      for (let i = 1; i < count; i++) rest.push(await open(await factory(name)))
      const clients = [first, ...rest]
      for (const { auth } of clients) expect(auth.getState().status).toBe('authenticated')
      return clients
    }

    const sameToken = (clients: SuiteClient[]) =>
      new Set(clients.map(({ auth }) => auth.getState().accessToken)).size === 1

    it('should store nothing at first, and give a new client the session another one logged in', async () => {
      const name = freshName()
      const first = await open(await factory(name))
      expect(first.auth.getState().status).toBe('unauthenticated')
      const tokens = await server.issueTokens()
      await first.auth.setTokens(tokens)
      const second = await open(await factory(name))
      expect(second.auth.getState().accessToken).toBe(tokens.accessToken)
      await second.auth.logout()
      const third = await open(await factory(name))
      expect(third.auth.getState().status).toBe('unauthenticated')
    })

    it(`should make 1 refresh call and hand out 1 new refresh token for a burst of 401s in ${n} clients`, async () => {
      const clients = await loggedInClients(freshName(), n)
      for (let round = 1; round <= 3; round++) {
        expire()
        const results = await burst(clients, 3)
        expect(results.filter((r) => !r.ok)).toEqual([])
        expect(countsOf(server)).toEqual({ refreshCalls: round, reuseDetections: 0 })
        expect(sameToken(clients)).toBe(true)
      }
      const stored = await clients[0]!.storage.get()
      expect(stored?.accessToken).toBe(clients[0]!.auth.getState().accessToken)
    })

    if (follows) {
      it('should let every client follow a login and a logout made by one of them', async () => {
        const clients = await loggedInClients(freshName(), n)
        const other = await server.issueTokens(SECOND_USER.email)
        await clients[1]!.auth.setTokens(other)
        await until(
          () => clients.every(({ auth }) => auth.getState().accessToken === other.accessToken),
          'every client on the new login',
        )
        await clients[2 % n]!.auth.logout()
        await until(
          () => clients.every(({ auth }) => auth.getState().status === 'unauthenticated'),
          'every client logged out',
        )
      })
    }

    it('should let a login elsewhere during a refresh win over that refresh', async () => {
      const name = freshName()
      const { gate, release } = refreshGate()
      const refreshing = await open(await factory(name), refreshThrough(gate))
      await refreshing.auth.setTokens(await server.issueTokens())
      const loggingIn = await open(await factory(name))
      expire()
      const request = refreshing.api.get('/api/orders').catch((error: unknown) => error)
      await until(() => refreshing.auth.getState().isRefreshing, 'the refresh to start')
      const other = await server.issueTokens(SECOND_USER.email)
      const login = loggingIn.auth.setTokens(other)
      release()
      await Promise.all([request, login])
      await until(
        () => refreshing.auth.getState().accessToken === other.accessToken,
        'the refreshing client on the newer login',
      )
      expect(loggingIn.auth.getState().accessToken).toBe(other.accessToken)
      expect((await loggingIn.storage.get())?.accessToken).toBe(other.accessToken)
      expect(countsOf(server).reuseDetections).toBe(0)
    })

    it('should let a logout elsewhere during a refresh hold', async () => {
      const name = freshName()
      const { gate, release } = refreshGate()
      const refreshing = await open(await factory(name), refreshThrough(gate))
      await refreshing.auth.setTokens(await server.issueTokens())
      const loggingOut = await open(await factory(name))
      expire()
      const request = refreshing.api.get('/api/orders').catch((error: unknown) => error)
      await until(() => refreshing.auth.getState().isRefreshing, 'the refresh to start')
      const logout = loggingOut.auth.logout()
      release()
      await Promise.all([request, logout])
      await until(
        () => refreshing.auth.getState().status === 'unauthenticated',
        'the refreshing client logged out',
      )
      // a plain storage may keep a logged-out marker (the version), never a token
      expect((await loggingOut.storage.get())?.accessToken || null).toBeNull()
      const late = await open(await factory(name))
      expect(late.auth.getState().status).toBe('unauthenticated')
    })

    it('should let another client refresh at once after a refresh failed (its claim withdrawn)', async () => {
      const clients = await loggedInClients(freshName(), 2)
      expire()
      server.faults.failNextRefresh(1, 'server-error')
      const failed = await burst([clients[0]!], 1)
      expect(failed.every((r) => !r.ok && isRefreshFailedError(r.error))).toBe(true)
      // within the refresh timeout, so no waiting out a claim (the lease is that plus 10 s)
      const startedAt = Date.now()
      const again = await burst([clients[1]!], 2)
      expect(again.filter((r) => !r.ok)).toEqual([])
      expect(Date.now() - startedAt).toBeLessThan(5_000)
      expect(countsOf(server)).toEqual({ refreshCalls: 2, reuseDetections: 0 })
    })

    if (options.laggingReads ?? true) {
      it('should never present a spent refresh token when reads lag 50 ms behind writes', async () => {
        const name = freshName()
        const first = await open(laggingReads(await factory(name), 50))
        await first.auth.setTokens(await server.issueTokens())
        const clients = [first]
        for (let i = 1; i < n; i++) clients.push(await open(laggingReads(await factory(name), 50)))
        await until(
          () => clients.every(({ auth }) => auth.getState().status === 'authenticated'),
          'every client restored',
        )
        for (let round = 1; round <= 5; round++) {
          expire()
          const results = await burst(clients, 3)
          expect(results.filter((r) => !r.ok)).toEqual([])
          expect(countsOf(server)).toEqual({ refreshCalls: round, reuseDetections: 0 })
        }
      })
    }

    if (options.failingWrites ?? true) {
      it('should lose nothing when a write fails during a refresh', async () => {
        const name = freshName()
        const faulty = failingWrites(await factory(name))
        const client = await open(faulty.store)
        await client.auth.setTokens(await server.issueTokens())
        const peer = await open(await factory(name))
        expire()
        faulty.failNext(1)
        const results = await burst([client], 3)
        // either refreshed in memory, or failed for now: never an ended session
        for (const result of results) {
          if (!result.ok)
            expect(isRefreshFailedError(result.error), String(result.error)).toBe(true)
        }
        expect(client.auth.getState().status).toBe('authenticated')
        const again = await burst([client, peer], 2)
        expect(again.filter((r) => !r.ok)).toEqual([])
        expect(countsOf(server).reuseDetections).toBe(0)
        await until(() => sameToken([client, peer]), 'both clients on one token')
      })

      it('should keep a login it cannot share in memory, and tell the app (storageFailed)', async () => {
        const name = freshName()
        const faulty = failingWrites(await factory(name))
        const client = await open(faulty.store)
        const failures: Array<{ operation: string; error: unknown }> = []
        client.auth.on('storageFailed', (event) => failures.push(event))
        const tokens = await server.issueTokens()
        faulty.failNext(Number.POSITIVE_INFINITY)
        await client.auth.setTokens(tokens)
        faulty.failNext(0)
        expect(client.auth.getState()).toMatchObject({
          status: 'authenticated',
          accessToken: tokens.accessToken,
        })
        expect(failures.map((failure) => failure.operation)).toEqual(['save'])
        expect(String(failures[0]?.error)).not.toContain(tokens.refreshToken)
        // nothing was shared: another client finds no session
        const peer = await open(await factory(name))
        expect(peer.auth.getState().status).toBe('unauthenticated')
        // once the store answers again, the next change is shared, and nothing is said
        await client.auth.setTokens(await server.issueTokens())
        const latecomer = await open(await factory(name))
        expect(latecomer.auth.getState().accessToken).toBe(client.auth.getState().accessToken)
        if (follows) {
          await until(
            () => peer.auth.getState().accessToken === client.auth.getState().accessToken,
            'the peer to follow the second login',
          )
        }
        expect(failures).toHaveLength(1)
      })
    }
  })
}
