// Fails when a README example differs from the file CI type-checks and runs.
import { readFileSync } from 'node:fs'
import { coreReadme } from './packageReadme'
import { readmeExamples } from './readmeExamples'

const examples = readmeExamples()
const stale = examples.filter(({ file, block }) => readFileSync(file, 'utf8') !== block)
for (const { file } of stale)
  console.error(`README.md: the example from ${file} differs from the file`)
if (examples.length === 0) console.error('README.md: no <!-- example: path --> marker found')
if (stale.length > 0 || examples.length === 0) process.exit(1)
console.log(`README.md: ${examples.length} example(s) match their files`)
if (readFileSync('packages/core/README.md', 'utf8') !== coreReadme()) {
  console.error('packages/core/README.md differs from README.md: run pnpm readme:package')
  process.exit(1)
}
console.log('packages/core/README.md matches README.md')
