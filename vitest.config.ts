import { defineConfig } from 'vitest/config'

// One runner for the whole tree: every package brings its own project config.
export default defineConfig({
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      'packages/react/vitest.react18.config.ts',
      'packages/react/vitest.production.config.ts',
      'packages/core/vitest.e2e.config.ts',
      'packages/core/vitest.production.config.ts',
      'apps/demo/vitest.config.ts',
      'examples/readme/vitest.config.ts',
      'examples/fleet/vitest.config.ts',
    ],
  },
})
