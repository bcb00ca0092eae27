import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { storageTestSuite } from '@retoken/storage-test-suite'
import { afterAll } from 'vitest'
import { fileStore } from '../src/index'

const dir = mkdtempSync(join(tmpdir(), 'retoken-file-suite-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// every client opens its own handle on the file, as another process would
storageTestSuite('fileStore', (name) => fileStore(join(dir, `${name}.json`)))
