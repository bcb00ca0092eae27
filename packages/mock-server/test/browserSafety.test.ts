import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src')

/** Every module specifier reachable from `entry` through relative imports. */
function importsReachableFrom(entry: string): Set<string> {
  const seen = new Set<string>()
  const specifiers = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    const code = readFileSync(file, 'utf8')
    for (const [, specifier = ''] of code.matchAll(/(?:from|import)\s+'([^']+)'/g)) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), `${specifier}.ts`))
      else specifiers.add(specifier)
    }
  }
  visit(entry)
  return specifiers
}

// The demo runs the same handlers in a service worker: `.` must never pull in Node.
describe('@retoken/mock-server entry point', () => {
  it('should reach no Node built-in and no msw/node, so msw/browser can run it', () => {
    const specifiers = [...importsReachableFrom(resolve(src, 'index.ts'))]
    expect(specifiers.filter((name) => name.startsWith('node:') || name === 'msw/node')).toEqual([])
    expect(specifiers.sort()).toEqual(['jose', 'msw'])
  })
})
