// Writes packages/core/README.md from the root README (check:readme fails when they differ).
import { writeFileSync } from 'node:fs'
import { coreReadme } from './packageReadme'

writeFileSync('packages/core/README.md', coreReadme())
console.log('packages/core/README.md written from README.md')
