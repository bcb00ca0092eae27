import { defineConfig } from 'vitest/config'
import { sharedConfig } from '../../vitest.shared.ts'

// The react suite once more on the production build's code (`#dev` resolved under the
// `production` condition): the same errors and behaviour, short messages.
// Spread, not mergeConfig: that would append these conditions to the shared ones.
const conditions = ['@retoken/source', 'module', 'browser', 'production']

export default defineConfig({
  ...sharedConfig,
  resolve: { conditions },
  ssr: { resolve: { conditions: ['@retoken/source', 'module', 'node', 'production'] } },
  test: {
    ...sharedConfig.test,
    name: 'react-production',
    include: ['test/**/*.test.{ts,tsx}'],
    environment: 'jsdom',
    setupFiles: ['./test/setup.ts'],
    env: { REACT_MAJOR: '19' },
  },
})
