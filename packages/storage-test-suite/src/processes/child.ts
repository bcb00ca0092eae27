// One process of a fleet: its own createAuth, its own Axios instance, its own store
// handle. The parent drives it over IPC and counts outcomes on the server.
import { autoRefresh, coordinateStorage, createAuth, sharedStorage } from '@retoken/core'
import axios from 'axios'
import { isSharedStore, type SuiteStorage } from '../faultyStores'
import type { BurstReport, ChildConfig, Command, Envelope, StateReport } from './protocol'

const config = JSON.parse(process.env.RETOKEN_FLEET_CHILD ?? '{}') as ChildConfig
const module = (await import(config.storageModule)) as {
  createStorage(name: string): SuiteStorage | Promise<SuiteStorage>
}
const store = await module.createStorage(config.name)
const storage = isSharedStore(store) ? sharedStorage(store) : store
const api = axios.create({ baseURL: config.api })
let refreshes = 0
let release = () => {}
// a held refresh tells the parent, then waits for it (or for SIGKILL)
const hold = () =>
  new Promise<void>((resolve) => {
    release = resolve
    process.send?.({ id: -1, body: { event: 'refresh-held' } })
  })
const auth = createAuth({
  refresh: async ({ refreshToken, signal }) => {
    refreshes += 1
    if (config.holdRefresh === 'before') await hold()
    const { data } = await axios.post(`${config.api}/auth/refresh`, { refreshToken }, { signal })
    if (config.holdRefresh === 'after') await hold()
    return data
  },
  storage,
  refreshMargin: 0,
  ...(config.refreshTimeout ? { refreshTimeout: config.refreshTimeout } : {}),
  ...(storage.tabs ? {} : { tabs: coordinateStorage() }),
  ...(config.autoRefresh ? { autoRefresh: autoRefresh() } : {}),
})
auth.attach(api)
await auth.restore()

async function burst(count: number): Promise<BurstReport> {
  const started = performance.now()
  const results = await Promise.allSettled(
    Array.from({ length: count }, () => api.get('/api/orders')),
  )
  const errors = results.flatMap((r) =>
    r.status === 'rejected'
      ? [
          `${(r.reason as Error)?.name}${(r.reason as { status?: number })?.status ? ` ${(r.reason as { status?: number }).status}` : ''}`,
        ]
      : [],
  )
  if (process.env.RETOKEN_FLEET_DEBUG) {
    for (const r of results) if (r.status === 'rejected') console.error('[fleet]', String(r.reason))
  }
  const ms = performance.now() - started
  return { ok: count - errors.length, failed: errors.length, errors, ms }
}

const state = (): StateReport => ({
  status: auth.getState().status,
  accessToken: auth.getState().accessToken,
  refreshes,
})

async function run(command: Command): Promise<unknown> {
  switch (command.type) {
    case 'burst':
      return burst(command.count)
    case 'state':
      return state()
    case 'login':
      await auth.setTokens(command.tokens)
      return state()
    case 'logout':
      await auth.logout()
      return state()
    case 'release':
      release()
      return state()
  }
}

process.on('message', (message: Envelope<Command>) => {
  run(message.body).then(
    (body) => process.send?.({ id: message.id, body }),
    (error: unknown) =>
      process.send?.({ id: message.id, body: { error: (error as Error)?.name ?? 'Error' } }),
  )
})
process.send?.({ id: 0, body: { ready: true } })
