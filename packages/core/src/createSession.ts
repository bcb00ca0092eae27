import { registerEngine } from './engine/engine'
import type { AuthOptions } from './engine/options'
import { createSessionEngine } from './engine/sessionEngine'
import type { SessionControls } from './engine/types'

/**
 * Creates the object that owns one session, without the Axios transport: for apps that
 * send with `createFetch` (fetch, ky, openapi-fetch) and should not ship Axios
 * interceptors. It takes the options `createAuth` takes and works wherever an `Auth` is
 * read (`createFetch`, `AuthProvider`); only `attach()` is missing.
 * @example
 * const session = createSession({ refresh })
 * const authFetch = createFetch(session, { allowedOrigins: ['https://api.example.com'] })
 */
export function createSession(options: AuthOptions): SessionControls {
  const { auth, engine } = createSessionEngine(options)
  registerEngine(auth, engine)
  return auth
}
