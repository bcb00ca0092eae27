// The README's examples are files under examples/readme: each is included in README.md
// after an `<!-- example: path -->` marker, and CI checks that the two are identical.
import { readFileSync } from 'node:fs'

const marker = /<!-- example: (\S+)([^>]*)-->\n```\w+\n([\s\S]*?)```\n/g

/** Every example the README includes: its file, the marker's note and the code block as shown. */
export function readmeExamples(
  readmePath = 'README.md',
): { file: string; note: string; block: string }[] {
  const readme = readFileSync(readmePath, 'utf8')
  return [...readme.matchAll(marker)].map((match) => ({
    file: match[1] ?? '',
    note: match[2] ?? '',
    block: match[3] ?? '',
  }))
}
