import { defineConfig, mergeConfig } from 'vitest/config'
import { sharedConfig } from '../../vitest.shared.ts'

// Tabs in a real Chromium: several pages of one browser context against the mock
// server over real HTTP. Separate from the unit project so it can run on its own.
export default mergeConfig(
  sharedConfig,
  defineConfig({
    test: {
      name: 'core-tabs-e2e',
      include: ['e2e/**/*.e2e.test.ts'],
      environment: 'node',
      testTimeout: 120_000,
      hookTimeout: 60_000,
    },
  }),
)
