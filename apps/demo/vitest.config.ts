import { defineConfig } from 'vitest/config'

// End-to-end: a real Chromium drives the production build served by `vite preview`,
// with the mock auth server mounted by the demo's Vite plugin.
export default defineConfig({
  test: {
    name: 'demo-e2e',
    include: ['e2e/**/*.e2e.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
