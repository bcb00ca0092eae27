import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
import { mockServerPlugin } from './server/mockServerPlugin'

// The demo runs on the workspace packages' source (the `@retoken/source` export
// condition), so editing packages/* shows up here without a build. The mock auth
// server runs in this Vite process (dev and preview), on the page's own origin.
export default defineConfig({
  plugins: [react(), mockServerPlugin()],
  resolve: { conditions: ['@retoken/source', 'module', 'browser', 'development|production'] },
  server: { port: 5173 },
  preview: { port: 4173 },
})
