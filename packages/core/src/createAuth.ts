import type { Auth } from './auth'
import { registerEngine } from './engine/engine'
import type { AuthOptions } from './engine/options'
import { createSessionEngine } from './engine/sessionEngine'
import { attachAxios } from './transports/axios'

/**
 * Creates the object that owns one session; `auth.attach()` plugs it into Axios,
 * `createFetch(auth)` into fetch.
 * @example
 * const auth = createAuth({
 *   refresh: async ({ refreshToken, signal }) =>
 *     (await axios.post('/auth/refresh', { refreshToken }, { signal })).data,
 * })
 * auth.attach(api)
 */
export function createAuth(options: AuthOptions): Auth {
  const { auth: base, engine } = createSessionEngine(options)
  const auth: Auth = {
    ...base,
    attach: (instance, attachOptions) => attachAxios(engine, instance, attachOptions),
  }
  registerEngine(auth, engine)
  return auth
}
