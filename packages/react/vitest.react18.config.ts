import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { defineConfig, mergeConfig } from 'vitest/config'
import { sharedConfig } from '../../vitest.shared.ts'

// test/react18 is a tiny private workspace package that installs React 18 and its own
// Testing Library, so react-dom 18 finds react 18 by plain Node resolution. Our sources
// and tests are pointed at those copies here.
const fromReact18 = createRequire(new URL('./test/react18/package.json', import.meta.url))
const packageDir = (name: string) => dirname(fromReact18.resolve(`${name}/package.json`))

export default mergeConfig(
  sharedConfig,
  defineConfig({
    resolve: {
      alias: [
        { find: /^react(\/.*)?$/, replacement: `${packageDir('react')}$1` },
        { find: /^react-dom(\/.*)?$/, replacement: `${packageDir('react-dom')}$1` },
        {
          find: /^@testing-library\/react$/,
          replacement: fromReact18.resolve('@testing-library/react'),
        },
      ],
    },
    test: {
      name: 'react18',
      include: ['test/**/*.test.{ts,tsx}'],
      environment: 'jsdom',
      setupFiles: ['./test/setup.ts'],
      env: { REACT_MAJOR: '18' },
      // bundled by Vite rather than loaded by Node, so its `react` import meets the alias
      server: { deps: { inline: ['@tanstack/react-query'] } },
    },
  }),
)
