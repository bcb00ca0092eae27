import { defineConfig } from 'vitest/config'
import { sharedConfig } from '../../vitest.shared.ts'

// The core suite once more on the production build's code (`#dev` resolved under the
// `production` condition): the same classes, reason codes and behaviour, short messages.
// Spread, not mergeConfig: that would append these conditions to the shared ones.
const conditions = ['@retoken/source', 'module', 'node', 'production']

export default defineConfig({
  ...sharedConfig,
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    ...sharedConfig.test,
    name: 'core-production',
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
})
