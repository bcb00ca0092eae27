import '@testing-library/jest-dom/vitest'
import { cleanup, configure } from '@testing-library/react'
import { afterEach } from 'vitest'

// waitFor's 1 s default is a ceiling, not a wait: it only matters on a busy machine,
// where two React projects run beside the rest of the workspace's tests
configure({ asyncUtilTimeout: 5_000 })

// Vitest runs without globals, so Testing Library cannot register its own cleanup.
afterEach(() => cleanup())
