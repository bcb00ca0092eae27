import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// The demo runs on the workspace packages' source (the `@retoken/source` export
// condition), so editing packages/* shows up here without a build.
export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ['@retoken/source', 'module', 'browser', 'development|production'] },
  server: { port: 5173 },
  // the mock server (msw, jose) ships inside the demo on purpose: no backend to run
  build: { chunkSizeWarningLimit: 1024 },
})
