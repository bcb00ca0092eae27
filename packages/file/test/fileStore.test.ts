import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createAuth,
  isInvalidOptionsError,
  isRefreshFailedError,
  type SharedRecord,
} from '@retoken/core'
import { startHttpServer } from '@retoken/mock-server/node'
import axios from 'axios'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type FileStore, fileStorage, fileStore, isFileStoreError } from '../src/index'
import { waitFor } from './waitFor'

const record = (version: number, accessToken = `access-${version}`): SharedRecord => ({
  version,
  change: 'login',
  session: {
    accessToken,
    refreshToken: `refresh-${version}`,
    expiresAt: null,
    lifetime: null,
    clockOffset: 0,
  },
  spent: {},
  claim: null,
})

describe('fileStore', () => {
  let dir: string
  let running: Awaited<ReturnType<typeof startHttpServer>>
  const opened: FileStore[] = []
  const open = (path: string, options?: Parameters<typeof fileStore>[1]) => {
    const store = fileStore(path, options)
    opened.push(store)
    return store
  }
  let names = 0
  const fresh = () => join(dir, `session-${++names}.json`)

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'retoken-file-store-'))
    running = await startHttpServer({ port: 0, accessTokenTtl: 60 })
  })
  afterEach(() => {
    for (const store of opened.splice(0)) store.close()
  })
  afterAll(async () => {
    await running.close()
    rmSync(dir, { recursive: true, force: true })
  })

  /** A client of the real HTTP mock server on `storage`, restored. */
  async function client(storage: ReturnType<typeof fileStorage>) {
    const auth = createAuth({
      refresh: async ({ refreshToken, signal }) =>
        (await axios.post(`${running.url}/auth/refresh`, { refreshToken }, { signal })).data,
      storage,
      refreshMargin: 0,
    })
    const api = axios.create({ baseURL: running.url })
    auth.attach(api)
    await auth.restore()
    return { auth, api }
  }

  it('should write only the version that follows the stored one, and report what is stored otherwise', async () => {
    const path = fresh()
    const store = open(path)
    expect(await store.read()).toBeNull()
    expect(await store.write(record(2))).toEqual({ written: false, current: null })
    expect(await store.write(record(1))).toEqual({ written: true })
    expect(await store.write(record(1, 'other'))).toEqual({ written: false, current: record(1) })
    expect(await open(path).read()).toEqual(record(1))
  })

  it('should keep the file readable and writable by its owner only', async () => {
    const path = fresh()
    await open(path).write(record(1))
    expect(statSync(path).mode & 0o777).toBe(0o600)
  })

  it('should let exactly one of many concurrent conditional writes win, with no lock held', async () => {
    const path = fresh()
    // each handle is a separate reader and writer, as separate processes would be
    const stores = Array.from({ length: 12 }, () => open(path))
    const results = await Promise.all(stores.map((store, i) => store.write(record(1, `w${i}`))))
    expect(results.filter((r) => r.written)).toHaveLength(1)
    // and increments never get lost: every handle adds 5 versions, read-compare-write
    await Promise.all(
      stores.map(async (store) => {
        for (let added = 0; added < 5; ) {
          const current = await store.read()
          if ((await store.write(record((current?.version ?? 0) + 1))).written) added++
        }
      }),
    )
    expect((await open(path).read())?.version).toBe(1 + 12 * 5)
  }, 30_000)

  it('should write while the same store holds its lock, without waiting for itself', async () => {
    const store = open(fresh())
    const written = await store.lock!(async () => store.write(record(1)), {
      signal: AbortSignal.timeout(5_000),
      leaseMs: 5_000,
    })
    expect(written).toEqual({ written: true })
  })

  it('should give the lock to one holder at a time, and stop waiting when the signal aborts', async () => {
    const path = fresh()
    const [a, b] = [open(path), open(path)]
    let release = () => {}
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    const first = a.lock!(() => held, { signal: AbortSignal.timeout(10_000), leaseMs: 5_000 })
    await waitFor(
      () => statSync(`${path}.lease.lock`, { throwIfNoEntry: false }) !== undefined,
      'the lock file',
    )
    const reason = new Error('gave up')
    const controller = new AbortController()
    const waiting = b.lock!(async () => 'b ran', { signal: controller.signal, leaseMs: 5_000 })
    controller.abort(reason)
    await expect(waiting).rejects.toBe(reason)
    const next = b.lock!(async () => 'b ran', {
      signal: AbortSignal.timeout(10_000),
      leaseMs: 5_000,
    })
    release()
    await first
    expect(await next).toBe('b ran')
  })

  it('should abort the lease, not crash, when the lock is lost while held', async () => {
    const path = fresh()
    const store = open(path, { staleMs: 2_000 })
    const outcome = await store.lock!(
      async (lease) => {
        // someone removes the lock file (a cleanup script, another machine's clock):
        // the holder finds out at its next renewal, within staleMs / 2
        rmSync(`${path}.lease.lock`, { recursive: true })
        await waitFor(() => lease.aborted, 'the lease to abort', 5_000)
        return lease.reason
      },
      { signal: AbortSignal.timeout(10_000), leaseMs: 5_000 },
    )
    expect(isFileStoreError(outcome) && outcome.code).toBe('lock-compromised')
    // the lock can be taken again
    expect(
      await open(path).lock!(async () => 'again', {
        signal: AbortSignal.timeout(5_000),
        leaseMs: 5_000,
      }),
    ).toBe('again')
  })

  it('should end the session in every client when the server rejects the refresh token', async () => {
    const path = fresh()
    const [a, b] = [await client(fileStorage(path)), await client(fileStorage(path))]
    await a.auth.setTokens(await running.server.issueTokens())
    await waitFor(() => b.auth.getState().status === 'authenticated', 'the second client restored')
    running.server.faults.revokeAllSessions()
    // the rejection comes back through the store's lock: it must stay fatal, not turn transient
    const error = await a.api.get('/api/orders').catch((e: unknown) => e)
    expect((error as Error).name).toBe('SessionExpiredError')
    await waitFor(
      () => b.auth.getState().status === 'unauthenticated',
      'the other client logged out',
    )
    a.auth.destroy()
    b.auth.destroy()
  })

  it('should carry on when the file is deleted under running clients (versions start again)', async () => {
    const path = fresh()
    const { auth, api } = await client(fileStorage(path))
    await auth.setTokens(await running.server.issueTokens())
    rmSync(path)
    const refreshesBefore = running.server.counters.refreshCalls
    running.server.clock.setOffset(61)
    const response = await api.get('/api/orders').catch((e: unknown) => e)
    running.server.clock.setOffset(0)
    expect((response as { status?: number }).status).toBe(200)
    expect(running.server.counters.refreshCalls).toBe(refreshesBefore + 1)
    expect((await open(path).read())?.session?.accessToken).toBe(auth.getState().accessToken)
    await auth.logout()
    expect((await open(path).read())?.change).toBe('logout')
    auth.destroy()
  })

  it('should read a corrupt file as no session, and let a login replace it', async () => {
    for (const garbage of ['{"version": 3', 'null', '{"version":1,"record":{}}', '[]', '']) {
      const path = fresh()
      writeFileSync(path, garbage)
      const store = open(path)
      expect(await store.read()).toBeNull()
      const { auth } = await client(fileStorage(path))
      expect(auth.getState().status).toBe('unauthenticated')
      const tokens = await running.server.issueTokens()
      await auth.setTokens(tokens)
      expect((await store.read())?.session?.accessToken).toBe(tokens.accessToken)
      auth.destroy()
    }
  })

  it('should fail reads of an unreadable file with a typed error, and restore as no session', async () => {
    const path = fresh()
    // a directory where the file should be: unreadable even for root
    mkdirSync(path)
    const failure = await open(path)
      .read()
      .catch((error: unknown) => error)
    expect(isFileStoreError(failure) && failure.code).toBe('unreadable')
    expect(String((failure as Error).message)).toContain(path)
    const { auth, api } = await client(fileStorage(path))
    expect(auth.getState().status).toBe('unauthenticated')
    // a login still works in this process; the store failure is reported, not thrown
    await auth.setTokens(await running.server.issueTokens())
    running.server.clock.setOffset(61)
    const error = await api.get('/api/orders').catch((e: unknown) => e)
    running.server.clock.setOffset(0)
    // the refresh needs the store: a transient failure, the session kept
    expect(isRefreshFailedError(error), String(error)).toBe(true)
    expect(auth.getState().status).toBe('authenticated')
    auth.destroy()
  })

  it('should fail writes where the file cannot be written with a typed error', async () => {
    const blocker = fresh()
    writeFileSync(blocker, 'a file, not a directory')
    const failure = await open(join(blocker, 'session.json'))
      .write(record(1))
      .catch((error: unknown) => error)
    expect(isFileStoreError(failure) && failure.code).toBe('unwritable')
  })

  it('should tell every handle of a change, by watching and by polling, and stop when closed', async () => {
    for (const follow of ['watch', 'poll'] as const) {
      const path = fresh()
      const [writer, reader] = [
        open(path, { follow, pollMs: 20 }),
        open(path, { follow, pollMs: 20 }),
      ]
      let heard = 0
      const stop = reader.subscribe!(() => heard++)
      await writer.write(record(1))
      await waitFor(() => heard > 0, `a change heard (${follow})`)
      stop()
      const before = heard
      await writer.write(record(2))
      // a third handle that still listens hears the second write; the stopped one did not
      let third = 0
      const other = open(path, { follow, pollMs: 20 })
      other.subscribe!(() => third++)
      await writer.write(record(3))
      await waitFor(() => third > 0, `the third handle (${follow})`)
      expect(heard).toBe(before)
      other.close()
      expect(other.subscribe!(() => third++)).toBeTypeOf('function')
    }
  })

  it('should refuse options that cannot work with a typed error', () => {
    for (const [path, options] of [
      ['', {}],
      [fresh(), { staleMs: 500 }],
      [fresh(), { pollMs: -1 }],
      [fresh(), { follow: 'inotify' }],
    ] as const) {
      let error: unknown
      try {
        fileStore(path, options as never)
      } catch (caught) {
        error = caught
      }
      expect(isInvalidOptionsError(error), String(error)).toBe(true)
    }
  })
})
