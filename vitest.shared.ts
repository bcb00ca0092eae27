import { defineConfig } from 'vitest/config'

// Tests run on source: the `@retoken/source` export condition points each
// workspace package at `src/index.ts`, so no build is needed before testing.
// Setting conditions replaces Vite's defaults, so those are repeated here.
const source = '@retoken/source'

export const sharedConfig = defineConfig({
  resolve: { conditions: [source, 'module', 'browser', 'development|production'] },
  ssr: { resolve: { conditions: [source, 'module', 'node', 'development|production'] } },
  test: {
    restoreMocks: true,
    unstubGlobals: true,
  },
})
