import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { BurstReport, ChildConfig, Command, Envelope, StateReport } from './protocol'

export type { BurstReport, ChildConfig, StateReport } from './protocol'

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url))

/** One real Node process of a fleet, driven over IPC. */
export interface FleetProcess {
  readonly pid: number
  run(command: { type: 'burst'; count: number }): Promise<BurstReport>
  run(command: Exclude<Command, { type: 'burst' }>): Promise<StateReport>
  /** Kills it at once (SIGKILL): no cleanup, whatever it holds. */
  kill(): void
  readonly child: ChildProcess
}

/**
 * Starts `count` Node processes (child_process.fork, TypeScript through tsx, the
 * workspace's source through the `@retoken/source` condition), each with its own
 * `createAuth` on `config.storageModule`'s storage. Resolves when all are ready.
 */
export async function startFleet(count: number, config: ChildConfig): Promise<FleetProcess[]> {
  return Promise.all(Array.from({ length: count }, () => startProcess(config)))
}

/** Stops every process of a fleet. */
export async function stopFleet(fleet: FleetProcess[]): Promise<void> {
  await Promise.all(
    fleet.map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve()
          child.once('exit', () => resolve())
          child.kill('SIGTERM')
        }),
    ),
  )
}

function startProcess(config: ChildConfig): Promise<FleetProcess> {
  const child = fork(CHILD, [], {
    execArgv: ['--import', 'tsx', '--conditions=@retoken/source'],
    env: { ...process.env, RETOKEN_FLEET_CHILD: JSON.stringify(config), NODE_ENV: 'test' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const pending = new Map<number, (body: unknown) => void>()
  let ids = 0
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (message: Envelope<unknown>) => {
      if (message.id === 0) return resolve()
      pending.get(message.id)?.(message.body)
      pending.delete(message.id)
    })
    child.once('exit', (code, signal) => {
      reject(new Error(`fleet process exited before it was ready (${code ?? signal})`))
      for (const answer of pending.values()) answer({ error: `exited (${code ?? signal})` })
      pending.clear()
    })
  })
  const handle: FleetProcess = {
    get pid() {
      return child.pid ?? -1
    },
    child,
    run: ((command: Command) =>
      new Promise((resolve, reject) => {
        if (!child.connected) return reject(new Error('the fleet process is gone'))
        const id = ++ids
        pending.set(id, (body) => {
          const failure = (body as { error?: string }).error
          if (failure) reject(new Error(`fleet process failed: ${failure}`))
          else resolve(body as never)
        })
        child.send({ id, body: command })
      })) as FleetProcess['run'],
    kill: () => child.kill('SIGKILL'),
  }
  return ready.then(() => handle)
}
