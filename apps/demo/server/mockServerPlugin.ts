import type { Connect, Plugin } from 'vite'
import { createDemoBackend } from './demoBackend'

export { ACCESS_TOKEN_TTL, SERVER_HEADER } from './demoBackend'
export type { MockState } from './mockState'

/**
 * Serves the mock auth server over real HTTP on Vite's own origin, in `vite dev` and in
 * `vite preview`: `/auth/*`, `/api/*` and a control API under `/__mock/*`. Its state lives
 * in the Vite process, so every tab talks to one server and a reload forgets nothing.
 * Requests with `x-demo-server: cookie` (or `?server=cookie`) go to a second server that
 * keeps refresh tokens in an HttpOnly cookie; `GET /__mock/state` reports both as one.
 */
export function mockServerPlugin(): Plugin {
  let backend: ReturnType<typeof createDemoBackend> | undefined
  const use = (middlewares: Connect.Server) => {
    backend ??= createDemoBackend()
    // mounted directly, not in a returned hook: it runs before Vite's own middleware
    middlewares.use(backend.handle)
  }
  return {
    name: 'retoken-demo-mock-server',
    configureServer: (server) => use(server.middlewares),
    configurePreviewServer: (server) => use(server.middlewares),
  }
}
