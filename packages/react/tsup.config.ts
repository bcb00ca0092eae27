import { defineConfig, type Options } from 'tsup'

// Two builds of one source, chosen by export conditions (docs/decisions/017): `#dev`
// resolves to its development or production half under each build's conditions. Each
// build holds both entries, so `./testing`'s provider and the main entry's hooks share
// one context chunk under the same conditions. Types are one set, the same for both.
const build = (mode: 'development' | 'production'): Options => ({
  entry: { [`index.${mode}`]: 'src/index.ts', [`testing.${mode}`]: 'src/testing/index.ts' },
  format: ['esm'],
  sourcemap: true,
  target: 'es2022',
  external: ['react', 'react-dom', '@retoken/core'],
  // conditions alone decide: no platform adds `node` or `browser` on its own
  platform: 'neutral',
  esbuildOptions(options) {
    options.conditions = [mode]
    options.mainFields = ['module', 'main']
  },
  // Every file uses context or hooks: Next.js App Router must treat them as client
  // modules even when a Server Component imports them (as @tanstack/react-query does).
  banner: { js: "'use client'" },
})

export default defineConfig([
  {
    ...build('production'),
    dts: { entry: { index: 'src/index.ts', testing: 'src/testing/index.ts' } },
  },
  build('development'),
])
