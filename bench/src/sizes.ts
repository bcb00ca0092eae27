// Scenario 7: bundle sizes as size-limit measures them (its esbuild and file plugins):
// an entry that imports the named exports and logs them, bundled and minified by esbuild,
// gzipped at level 9, minus what an empty project weighs. retoken is bundled from its
// source (packages/*/src) under the browser and production (or development) conditions,
// so the figure is today's code whether or not dist is built.

import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('../../', import.meta.url))
const coreSource = `${root}packages/core/src/index.ts`
const react = `${root}packages/react/src/index.ts`

// size-limit's empty-project corrections (@size-limit/esbuild)
const EMPTY_IMPORT_GZIP = 46
const EMPTY_IMPORT_IGNORE_GZIP = 182
const EMPTY_GZIP = 32

interface Entry {
  name: string
  from: string
  /** Named imports; none means the whole module, as size-limit's "everything". */
  imports?: string[]
  external: string[]
  /** Export conditions the bundler resolves (retoken's development or production build). */
  conditions?: string[]
}

const axiosOnly = ['axios']
// what a browser app's bundler resolves in a production build, and in development
const PRODUCTION = ['browser', 'production']
const DEVELOPMENT = ['browser', 'development']
const core = (name: string, imports: string[] | undefined): Entry[] =>
  [PRODUCTION, DEVELOPMENT].map((conditions) => ({
    name: `retoken ${conditions[1]}: ${name}`,
    from: coreSource,
    ...(imports ? { imports } : {}),
    external: axiosOnly,
    conditions,
  }))
export const entries: Entry[] = [
  ...core('Axios user (createAuth + attach)', ['createAuth']),
  ...core('fetch user (createSession + createFetch)', ['createSession', 'createFetch']),
  ...core('Axios and fetch (createAuth + createFetch)', ['createAuth', 'createFetch']),
  ...core('+ autoRefresh()', ['createAuth', 'autoRefresh']),
  ...core('+ webStorage() (tabs)', ['createAuth', 'webStorage']),
  ...core('everything', undefined),
  ...[PRODUCTION, DEVELOPMENT].map((conditions) => ({
    name: `@retoken/react ${conditions[1]}`,
    from: react,
    external: ['react', 'react-dom', 'react/jsx-runtime', '@retoken/core', 'axios', 'jwt-decode'],
    conditions,
  })),
  {
    name: 'jwt-decode alone (inside the retoken figures)',
    from: `${root}packages/core/node_modules/jwt-decode`,
    imports: ['jwtDecode'],
    external: [],
  },
  {
    name: 'axios-auth-refresh',
    from: 'axios-auth-refresh',
    imports: ['createAuthRefresh'],
    external: axiosOnly,
  },
  {
    name: 'axios-jwt',
    from: 'axios-jwt',
    imports: ['applyAuthTokenInterceptor', 'setAuthTokens'],
    external: axiosOnly,
  },
]

export interface SizeRow {
  name: string
  minified: number
  gzip: number
}

export async function sizes(): Promise<{ rows: SizeRow[]; problems: string[] }> {
  const rows: SizeRow[] = []
  const problems: string[] = []
  for (const entry of entries) {
    try {
      const contents = entry.imports
        ? `import { ${entry.imports.join(', ')} } from ${JSON.stringify(entry.from)}\nconsole.log(${entry.imports.join(', ')})\n`
        : `export * from ${JSON.stringify(entry.from)}\n`
      const result = await build({
        stdin: {
          contents,
          resolveDir: fileURLToPath(new URL('..', import.meta.url)),
          loader: 'ts',
        },
        bundle: true,
        write: false,
        minify: true,
        treeShaking: true,
        external: entry.external,
        conditions: entry.conditions ?? [],
        logLevel: 'silent',
      })
      const code = result.outputFiles[0]?.contents ?? new Uint8Array()
      const shim = new TextDecoder().decode(code).includes('Dynamic require of ')
      const empty = !entry.imports
        ? EMPTY_GZIP
        : shim
          ? EMPTY_IMPORT_IGNORE_GZIP
          : EMPTY_IMPORT_GZIP
      rows.push({
        name: entry.name,
        minified: code.length,
        gzip: gzipSync(code, { level: 9 }).length - empty,
      })
    } catch (error) {
      problems.push(`sizes: ${entry.name} did not bundle: ${(error as Error).message}`)
    }
  }
  return { rows, problems }
}
