import { defineConfig } from 'vitest/config'

// End-to-end: a real Chromium drives the demo served by Vite's dev server.
export default defineConfig({
  test: {
    name: 'demo-e2e',
    include: ['e2e/**/*.e2e.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
