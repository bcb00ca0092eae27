import { defineConfig } from 'tsup'

export default defineConfig({
  entry: { index: 'src/index.ts', testing: 'src/testing/index.ts' },
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  external: ['react', 'react-dom', '@retoken/core'],
  // Every file uses context or hooks: Next.js App Router must treat them as client
  // modules even when a Server Component imports them (as @tanstack/react-query does).
  banner: { js: "'use client'" },
})
