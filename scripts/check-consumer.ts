// Installs @retoken/core and @retoken/react the way npm users get them (packed with
// pnpm, installed with npm into a scratch project outside the workspace), imports them
// from ESM and CommonJS, type-checks a consumer under node16 and bundler resolution
// with lib es2020, and runs the README's examples against the mock server over HTTP
// (the fetch one also in a project without axios, an optional peer), and checks that
// Node and four bundlers pick the development or production build as documented.
import { execFile, execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import ts from 'typescript'
import { startHttpServer } from '../packages/mock-server/src/node.ts'
import { checkConditions } from './consumerConditions'
import { readmeExamples } from './readmeExamples'

const root = resolve(import.meta.dirname, '..')
const dir = mkdtempSync(join(tmpdir(), 'retoken-consumer-'))
const run = (command: string, args: string[], cwd = dir) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
const step = (name: string) => console.log(`consumer: ${name}`)

try {
  step(`packing into ${dir}`)
  for (const pkg of ['core', 'react']) {
    run('pnpm', ['pack', '--pack-destination', dir], join(root, 'packages', pkg))
  }
  const tarballs = readdirSync(dir).filter((name) => name.endsWith('.tgz'))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }))
  step(`npm install ${tarballs.join(' ')} (peers: axios, react, react-dom)`)
  run('npm', [
    'install',
    '--no-audit',
    '--no-fund',
    ...tarballs.map((name) => `./${name}`),
    'axios@^1.8.2',
    'ky@^1.14.3',
    'openapi-fetch@^0.17.0',
    'react@^19',
    'react-dom@^19',
    '@types/react@^19',
    // the bundlers whose export conditions the build relies on (docs/decisions/017)
    'esbuild@^0.28',
    'vite@^8',
    'rollup@^4',
    '@rollup/plugin-node-resolve@^16',
    'webpack@^5',
  ])

  step('import from ESM')
  writeFileSync(
    join(dir, 'esm.mjs'),
    `import { createAuth } from '@retoken/core'
import { AuthProvider, useAuth } from '@retoken/react'
import { TestAuthProvider } from '@retoken/react/testing'
for (const f of [createAuth, AuthProvider, useAuth, TestAuthProvider]) if (typeof f !== 'function') throw new Error('missing export')
`,
  )
  run('node', ['esm.mjs'])

  checkConditions(dir, run, step)

  step('require() from CommonJS (require(esm), Node >= 20.19)')
  writeFileSync(
    join(dir, 'cjs.cjs'),
    `const { createAuth } = require('@retoken/core')
const { AuthProvider } = require('@retoken/react')
if (typeof createAuth !== 'function' || typeof AuthProvider !== 'function') throw new Error('missing export')
`,
  )
  run('node', ['--no-warnings', 'cjs.cjs'])

  writeFileSync(
    join(dir, 'consumer.tsx'),
    `import { createAuth, isSessionExpiredError, SessionExpiredError } from '@retoken/core'
import { AuthProvider, RequireAuth, useAuth } from '@retoken/react'
import axios from 'axios'

const auth = createAuth({ refresh: async () => ({ accessToken: 'x' }) })
auth.attach(axios.create())
const error: unknown = new SessionExpiredError('over', { cause: 1 })
export const expired: boolean = isSessionExpiredError(error)
export function Status() {
  const { status } = useAuth()
  return <p>{status}</p>
}
export const app = (
  <AuthProvider auth={auth}>
    <RequireAuth fallback={<p>log in</p>}>
      <Status />
    </RequireAuth>
  </AuthProvider>
)
`,
  )
  const tsc = join(root, 'node_modules/typescript/bin/tsc')
  for (const [module, resolution] of [
    ['node16', 'node16'],
    ['esnext', 'bundler'],
  ] as const) {
    step(`tsc --moduleResolution ${resolution} --lib es2020,dom`)
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module' }))
    run('node', [
      tsc,
      '--noEmit',
      '--strict',
      '--jsx',
      'react-jsx',
      '--target',
      'es2020',
      '--lib',
      'es2020,dom',
      '--module',
      module,
      '--moduleResolution',
      resolution,
      'consumer.tsx',
    ])
  }

  // DPoP mode with nonces required on both sides: Bearer clients are served as before,
  // the DPoP example must follow the nonces to reach the orders
  const server = await startHttpServer({
    port: 0,
    dpop: { nonce: { authorization: true, resource: true } },
  })
  try {
    // the examples that are whole programs: their marker says CI runs them against the server
    const examples = readmeExamples(join(root, 'README.md')).filter(({ note }) =>
      note.includes('CI runs it against the mock server'),
    )
    if (examples.length < 4)
      throw new Error('README.md lost its core, fetch, ky or openapi-fetch example')
    for (const { file, block } of examples) {
      step(`README example ${file} against the mock server over HTTP`)
      const before = server.server.counters.requestsByRoute['GET /api/orders'] ?? 0
      const output = await runExample(block.replaceAll('https://api.example.com', server.url), dir)
      if (!output.includes('ord_1001')) throw new Error(`unexpected output:\n${output}`)
      if ((server.server.counters.requestsByRoute['GET /api/orders'] ?? 0) <= before)
        throw new Error(`${file} did not reach GET /api/orders`)
      if (file.endsWith('/dpop.ts') && server.server.counters.dpopNonceChallenges === 0)
        throw new Error(`${file} never met a DPoP nonce: were its tokens bound?`)
    }

    // axios is an optional peer: a fetch user installs @retoken/core alone
    step('fetch example in a project without axios')
    const bare = join(dir, 'without-axios')
    mkdirSync(bare)
    writeFileSync(join(bare, 'package.json'), JSON.stringify({ name: 'bare', private: true }))
    const coreTarball = tarballs.find((name) => name.includes('core'))
    run('npm', ['install', '--no-audit', '--no-fund', `../${coreTarball}`], bare)
    if (existsSync(join(bare, 'node_modules/axios'))) throw new Error('npm installed axios')
    const fetchExample = examples.find(({ file }) => file.endsWith('/fetch.ts'))
    if (!fetchExample) throw new Error('README.md has no fetch example')
    const output = await runExample(
      fetchExample.block.replaceAll('https://api.example.com', server.url),
      bare,
    )
    if (!output.includes('ord_1001')) throw new Error(`unexpected output:\n${output}`)
  } finally {
    await server.close()
  }
  step('all checks passed')
} catch (error) {
  const failure = error as Error & { stdout?: string; stderr?: string }
  console.error(failure.message, failure.stdout ?? '', failure.stderr ?? '')
  process.exitCode = 1
} finally {
  rmSync(dir, { recursive: true, force: true })
}

/** Transpiles an example to JavaScript and runs it with node in `cwd`; resolves with its output. */
function runExample(source: string, cwd: string): Promise<string> {
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText
  writeFileSync(join(cwd, 'example.mjs'), js)
  // async: the mock server answers from this process
  return new Promise<string>((done, fail) =>
    execFile('node', ['example.mjs'], { cwd }, (error, stdout, stderr) =>
      error ? fail(new Error(`${error.message}\n${stderr}`)) : done(stdout),
    ),
  )
}
