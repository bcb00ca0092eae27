import { execFile, execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const hasRedis = (() => {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() !== ''
  } catch {
    return false
  }
})()
if (!hasRedis && process.env.CI) throw new Error('redis-server is required in CI')

describe.skipIf(!hasRedis)('the fleet example', () => {
  it('should run as written and print one refresh per expiry, no reuse, no failed request', async () => {
    const output = await new Promise<string>((resolve, reject) =>
      execFile(
        'node',
        ['--import', 'tsx', '--conditions=@retoken/source', 'run.ts'],
        { cwd: fileURLToPath(new URL('.', import.meta.url)) },
        (error, stdout, stderr) =>
          error ? reject(new Error(`${stdout}\n${stderr}`)) : resolve(stdout),
      ),
    )
    expect(output).toContain('one refresh per expiry, no reuse, no failed request')
  }, 120_000)
})
