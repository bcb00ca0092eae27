import { defineConfig, type Options } from 'tsup'

// Four builds of one source, chosen by export conditions (docs/decisions/017): the
// `#dev` and `#platform` imports of package.json resolve under each build's conditions,
// so each file holds only its own half. Types are one file, the same for all four.
const build = (name: string, conditions: string[]): Options => ({
  entry: { [name]: 'src/index.ts' },
  format: ['esm'],
  sourcemap: true,
  target: 'es2022',
  // conditions alone decide: no platform adds `node` or `browser` on its own
  platform: 'neutral',
  esbuildOptions(options) {
    options.conditions = conditions
    options.mainFields = ['module', 'main']
  },
})

export default defineConfig([
  { ...build('production', ['production']), dts: { entry: { index: 'src/index.ts' } } },
  build('development', ['development']),
  build('browser.production', ['browser', 'production']),
  build('browser.development', ['browser', 'development']),
])
