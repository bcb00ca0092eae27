import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type {
  BurstReport,
  ChildConfig,
  Command,
  Envelope,
  FleetEvent,
  StateReport,
} from './protocol'

export type { BurstReport, ChildConfig, FleetEvent, StateReport } from './protocol'

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url))

/** One real Node process of a fleet, driven over IPC. */
export interface FleetProcess {
  readonly pid: number
  run(command: { type: 'burst'; count: number }): Promise<BurstReport>
  run(command: Exclude<Command, { type: 'burst' }>): Promise<StateReport>
  /** Kills it at once (SIGKILL): no cleanup, whatever it holds. */
  kill(): void
  /** Resolves on the next event of this type the process posts. */
  next(event: FleetEvent['event']): Promise<void>
  readonly child: ChildProcess
}

/**
 * Starts `count` Node processes (child_process.fork, TypeScript through tsx, the
 * workspace's source through the `@retoken/source` condition), each with its own
 * `createAuth` on `config.storageModule`'s storage. Resolves when all are ready.
 */
export async function startFleet(
  count: number,
  config: ChildConfig,
  envFor: (index: number) => Record<string, string> = () => ({}),
): Promise<FleetProcess[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => startProcess(config, envFor(i))))
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

function startProcess(config: ChildConfig, env: Record<string, string>): Promise<FleetProcess> {
  const child = fork(CHILD, [], {
    execArgv: ['--import', 'tsx', '--conditions=@retoken/source'],
    env: { ...process.env, ...env, RETOKEN_FLEET_CHILD: JSON.stringify(config), NODE_ENV: 'test' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const pending = new Map<number, (body: unknown) => void>()
  const waiting = new Map<string, (() => void)[]>()
  let ids = 0
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (message: Envelope<unknown>) => {
      if (message.id === 0) return resolve()
      if (message.id === -1) {
        const { event } = message.body as FleetEvent
        for (const wake of waiting.get(event) ?? []) wake()
        waiting.delete(event)
        return
      }
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
    next: (event) =>
      new Promise<void>((resolve) => {
        waiting.set(event, [...(waiting.get(event) ?? []), resolve])
      }),
  }
  return ready.then(() => handle)
}
