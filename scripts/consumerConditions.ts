// Part of check-consumer: proves that the `development`, `production`, `node` and
// `browser` export conditions of @retoken/core and @retoken/react resolve as
// docs/decisions/017 says, unbundled in Node and under esbuild, Vite, Rollup and webpack.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

type Run = (command: string, args: string[], cwd?: string) => string

// Only the development build explains a reason code; only Node's guards redirects.
const DEVELOPMENT_TEXT = 'expected a JWT with 3 segments'
const NODE_ONLY = 'beforeRedirect'
const REACT_DEVELOPMENT_TEXT = 'must be used inside <AuthProvider>'

const probe = `import { createAuth, isInvalidTokenError } from '@retoken/core'
const auth = createAuth({ refresh: async () => ({ accessToken: 'x' }) })
const error = await auth.setTokens({ accessToken: 'not-a-jwt' }).catch((e) => e)
if (!isInvalidTokenError(error) || error.reason !== 'not-a-jwt') throw new Error('wrong error: ' + error)
console.log(JSON.stringify({ file: import.meta.resolve('@retoken/core'), message: error.message }))
`

// The hook outside a provider throws the build's message; the testing entry's provider
// must feed the main entry's hooks, so both entries resolve to one build and one context.
const reactProbe = `import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { useAuth } from '@retoken/react'
import { TestAuthProvider } from '@retoken/react/testing'
const Status = () => useAuth().status
let message = ''
try { renderToString(createElement(Status)) } catch (error) { message = error.message }
const html = renderToString(createElement(TestAuthProvider, null, createElement(Status)))
console.log(JSON.stringify({ file: import.meta.resolve('@retoken/react'), testing: import.meta.resolve('@retoken/react/testing'), message, html }))
`

const bundlers = `import { writeFileSync } from 'node:fs'
const [bundler, mode, entry = 'probe.mjs'] = process.argv.slice(2)
// the react probe measures @retoken/react alone: React and the core stay outside
const external = entry === 'probe.mjs' ? ['axios'] : ['axios', 'react', 'react-dom', 'react-dom/server', 'react/jsx-runtime', '@retoken/core']
const out = 'bundle-' + bundler + '-' + mode + '-' + entry.replace('.mjs', '.js')
if (bundler === 'esbuild') {
  const { build } = await import('esbuild')
  await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', conditions: [mode], outfile: out, external, logLevel: 'silent' })
} else if (bundler === 'vite') {
  // Vite picks the condition from NODE_ENV (its dev server runs with development)
  process.env.NODE_ENV = mode
  const { build } = await import('vite')
  await build({ mode, logLevel: 'silent', configFile: false, build: { minify: false, outDir: 'vite-' + mode, lib: { entry, formats: ['es'], fileName: () => 'out.js' }, rollupOptions: { external } } })
  writeFileSync(out, (await import('node:fs')).readFileSync('vite-' + mode + '/out.js'))
} else if (bundler === 'rollup') {
  const { rollup } = await import('rollup')
  const { nodeResolve } = await import('@rollup/plugin-node-resolve')
  const bundle = await rollup({ input: entry, external, plugins: [nodeResolve({ browser: true, exportConditions: [mode] })] })
  await bundle.write({ file: out, format: 'es', inlineDynamicImports: true })
} else if (bundler === 'webpack') {
  const { default: webpack } = await import('webpack')
  await new Promise((done, fail) => webpack({ mode, target: 'web', entry: './' + entry, devtool: false, externals: Object.fromEntries(external.map((name) => [name, name])), optimization: { minimize: false }, experiments: { topLevelAwait: true }, output: { path: process.cwd(), filename: out, module: true }, externalsType: 'module' }, (error, stats) => error || stats.hasErrors() ? fail(error ?? new Error(stats.toString())) : done()))
}
`

/** Runs the probe unbundled under both conditions, then bundles it with each bundler in both modes. */
export function checkConditions(dir: string, run: Run, step: (name: string) => void): void {
  writeFileSync(join(dir, 'probe.mjs'), probe)
  for (const [flags, file, long] of [
    [[], 'production.js', false],
    [['--conditions=production'], 'production.js', false],
    [['--conditions=development'], 'development.js', true],
  ] as const) {
    step(`node ${[...flags, 'probe.mjs'].join(' ')} resolves dist/${file}`)
    const seen = JSON.parse(run('node', [...flags, 'probe.mjs'])) as {
      file: string
      message: string
    }
    if (!seen.file.endsWith(`/dist/${file}`)) throw new Error(`resolved ${seen.file}`)
    if (seen.message.includes(DEVELOPMENT_TEXT) !== long)
      throw new Error(`message: ${seen.message}`)
    // Node keeps the redirect guard that browser bundles must not carry
    if (!readFileSync(new URL(seen.file), 'utf8').includes(NODE_ONLY)) {
      throw new Error(`${file} has no redirect guard`)
    }
  }
  writeFileSync(join(dir, 'bundle.mjs'), bundlers)
  for (const bundler of ['esbuild', 'vite', 'rollup', 'webpack']) {
    for (const mode of ['development', 'production']) {
      step(`${bundler} (${mode}, browser) bundles the ${mode} browser build`)
      run('node', ['bundle.mjs', bundler, mode])
      const code = readFileSync(join(dir, `bundle-${bundler}-${mode}-probe.js`), 'utf8')
      if (code.includes(DEVELOPMENT_TEXT) !== (mode === 'development')) {
        throw new Error(`${bundler} ${mode}: picked the wrong build (development text)`)
      }
      if (code.includes(NODE_ONLY))
        throw new Error(`${bundler} ${mode}: Node-only code in a browser bundle`)
    }
  }
  checkReactConditions(dir, run, step)
}

/** The same for @retoken/react: two builds, picked alike for its main and testing entries. */
function checkReactConditions(dir: string, run: Run, step: (name: string) => void): void {
  writeFileSync(join(dir, 'probe-react.mjs'), reactProbe)
  for (const [flags, mode] of [
    [[], 'production'],
    [['--conditions=production'], 'production'],
    [['--conditions=development'], 'development'],
  ] as const) {
    step(`node ${[...flags, 'probe-react.mjs'].join(' ')} resolves the react ${mode} build`)
    const seen = JSON.parse(run('node', [...flags, 'probe-react.mjs'])) as {
      file: string
      testing: string
      message: string
      html: string
    }
    if (!seen.file.endsWith(`/dist/index.${mode}.js`)) throw new Error(`resolved ${seen.file}`)
    if (!seen.testing.endsWith(`/dist/testing.${mode}.js`))
      throw new Error(`resolved ${seen.testing}`)
    const expected = mode === 'development' ? REACT_DEVELOPMENT_TEXT : 'no-provider'
    if (!seen.message.includes(expected)) throw new Error(`message: ${seen.message}`)
    if (seen.html !== 'authenticated') throw new Error(`TestAuthProvider rendered ${seen.html}`)
  }
  for (const bundler of ['esbuild', 'vite', 'rollup', 'webpack']) {
    for (const mode of ['development', 'production']) {
      step(`${bundler} (${mode}) bundles the react ${mode} build`)
      run('node', ['bundle.mjs', bundler, mode, 'probe-react.mjs'])
      const code = readFileSync(join(dir, `bundle-${bundler}-${mode}-probe-react.js`), 'utf8')
      if (code.includes(REACT_DEVELOPMENT_TEXT) !== (mode === 'development')) {
        throw new Error(`${bundler} ${mode}: picked the wrong react build (development text)`)
      }
    }
  }
}
