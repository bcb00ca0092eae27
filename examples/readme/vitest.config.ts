import { defineConfig, mergeConfig } from 'vitest/config'
import { sharedConfig } from '../../vitest.shared.ts'

export default mergeConfig(
  sharedConfig,
  defineConfig({
    test: {
      name: 'readme-examples',
      include: ['*.test.ts', '*.test.tsx'],
      environment: 'jsdom',
      setupFiles: ['../../packages/react/test/setup.ts'],
    },
  }),
)
