import { createAuthServer } from '@retoken/mock-server'
import { setupWorker } from 'msw/browser'

/** Access tokens live 20 seconds here, so expiry and renewal happen while you watch. */
export const ACCESS_TOKEN_TTL = 20

/** The mock auth server, answering in a service worker on this page's origin. */
export const authServer = createAuthServer({
  baseUrl: window.location.origin,
  accessTokenTtl: ACCESS_TOKEN_TTL,
  refreshTokenTtl: 600,
  slowRouteDelayMs: 1_500,
  // a real server outlives a page reload; this one keeps its sessions in sessionStorage
  persistence: {
    load: () => window.sessionStorage.getItem('retoken.demo.server'),
    save: (snapshot) => window.sessionStorage.setItem('retoken.demo.server', snapshot),
  },
})

const worker = setupWorker(...authServer.handlers)

/** Starts the worker; the app renders only after it, or its first requests would be lost. */
export function startMockServer() {
  return worker.start({ onUnhandledRequest: 'bypass', quiet: true })
}
