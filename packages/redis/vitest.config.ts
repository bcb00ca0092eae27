import { defineConfig, mergeConfig } from 'vitest/config'
import { sharedConfig } from '../../vitest.shared.ts'

export default mergeConfig(
  sharedConfig,
  defineConfig({
    test: {
      name: 'redis',
      include: ['test/**/*.test.ts'],
      environment: 'node',
      // real processes and a real redis-server: these tests wait on them, never on timers
      testTimeout: 120_000,
      hookTimeout: 60_000,
      fileParallelism: false,
    },
  }),
)
