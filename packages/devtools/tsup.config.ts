import { defineConfig } from 'tsup'

export default defineConfig({
  entry: { index: 'src/index.ts', production: 'src/production.ts' },
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // the panel body stays a separate chunk, loaded on first open
  splitting: true,
  external: ['react', 'react-dom', '@retoken/core'],
  banner: { js: "'use client'" },
})
