// The core's npm README is the root README's "Using @retoken/core" section, made to
// stand alone: repository links become absolute, since npm shows no other file.
import { readFileSync } from 'node:fs'

const REPOSITORY = 'https://github.com/retoken/retoken/blob/main/'

const INTRO = `# @retoken/core

Keeps JWT sessions alive in Axios, \`fetch\`, ky and openapi-fetch: the access token only
to the origins you allow, renewed before it expires, and on a 401 one refresh for any
number of requests, each retried once with the new token. Tabs share one refresh;
clock-skew aware, abort-aware, framework-free; browsers, Node 20+ and workers.
React bindings: [\`@retoken/react\`](https://www.npmjs.com/package/@retoken/react).

`

/** The README that `@retoken/core` ships, built from the root README. */
export function coreReadme(readmePath = 'README.md'): string {
  const readme = readFileSync(readmePath, 'utf8')
  const start = readme.indexOf('## Using `@retoken/core`')
  const end = readme.indexOf('\n## ', start + 1)
  if (start < 0 || end < 0) throw new Error('README.md lost its "Using @retoken/core" section')
  const section = readme
    .slice(start, end + 1)
    .replace(/^## Using `@retoken\/core`\n\n/, '## Install\n\n')
    // headings one level up: the section is the whole document now
    .replace(/^###/gm, '##')
    .replace(/\]\((?!https?:|#)([^)]+)\)/g, (_, path: string) => `](${REPOSITORY}${path})`)
  return INTRO + section
}
