import { defineConfig, mergeConfig } from 'vitest/config'
import { sharedConfig } from '../../vitest.shared.ts'

export default mergeConfig(
  sharedConfig,
  defineConfig({
    test: {
      name: 'core',
      include: ['test/**/*.test.ts'],
      environment: 'node',
    },
  }),
)
