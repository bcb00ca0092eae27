import type { ServerResponse } from 'node:http'
import type { LogEntry, RefreshOutcome, ServerName } from './mockState'

type Line = Omit<LogEntry, 'seq'>

/**
 * One line per refresh call, whoever answered it (the mock server, or a fault the plugin
 * plays), so the counters and the log are the same list counted two ways.
 */
export function createRefreshLedger() {
  let lines: Line[] = []
  const record = (server: ServerName, at: number, outcome: RefreshOutcome, detail?: string) =>
    lines.push({ server, at, type: 'refresh', outcome, ...(detail ? { detail } : {}) })

  return {
    record,
    /**
     * Records how the mock server answers this call: its status, and the reason in the
     * OAuth error body. `at` is the arrival, so a call comes before the revocation it causes.
     */
    watch(server: ServerName, at: number, res: ServerResponse) {
      const chunks: Buffer[] = []
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse
      res.end = ((...args: unknown[]) => {
        const [chunk] = args
        if (typeof chunk === 'string' || chunk instanceof Uint8Array)
          chunks.push(Buffer.from(chunk))
        return end(...args)
      }) as ServerResponse['end']
      let done = false
      res.on('finish', () => {
        done = true
        const status = res.statusCode
        if (status < 300) return record(server, at, 'succeeded')
        record(server, at, outcomeOf(status), `${status}: ${reasonIn(Buffer.concat(chunks))}`)
      })
      res.on('close', () => {
        if (!done) record(server, at, 'cut', 'the connection closed before the answer')
      })
    },
    lines: () => lines,
    clear() {
      lines = []
    },
  }
}

function outcomeOf(status: number): RefreshOutcome {
  if (status === 429) return 'rate-limited'
  return status >= 500 ? 'server-error' : 'rejected'
}

function reasonIn(body: Buffer): string {
  try {
    const parsed = JSON.parse(body.toString()) as { error_description?: unknown }
    if (typeof parsed.error_description === 'string') return parsed.error_description
  } catch {
    // not JSON: fall through
  }
  return 'no reason given'
}
