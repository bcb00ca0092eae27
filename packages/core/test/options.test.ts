import axios from 'axios'
import { describe, expect, it } from 'vitest'
import { build } from '#dev'
import { type AuthOptions, createAuth, isInvalidOptionsError } from '../src/index'

const refresh = async () => ({ accessToken: 'x', expiresIn: 60 })

const messageOf = (run: () => unknown) => {
  try {
    run()
  } catch (error) {
    expect(isInvalidOptionsError(error)).toBe(true)
    return (error as Error).message
  }
  throw new Error('expected an InvalidOptionsError')
}

// development checks every option; production trusts what development checked
describe.runIf(build === 'development')('createAuth options', () => {
  it.each([
    ['no options', undefined, /options/],
    ['a missing refresh', {}, /`refresh`/],
    [
      'a storage without remove()',
      { refresh, storage: { get: () => null, set() {} } },
      /`storage`/,
    ],
    ['a negative refreshMargin', { refresh, refreshMargin: -1 }, /`refreshMargin`.*-1/],
    ['a string clockTolerance', { refresh, clockTolerance: '5' }, /`clockTolerance`/],
    ['a zero refreshTimeout', { refresh, refreshTimeout: 0 }, /`refreshTimeout`/],
    ['a non-function now', { refresh, now: 5 }, /`now`/],
    ['an unknown tokenFormat', { refresh, tokenFormat: 'saml' }, /`tokenFormat`/],
    ['a non-function autoRefresh', { refresh, autoRefresh: 'yes' }, /`autoRefresh`/],
    ['autoRefresh: true (now an import)', { refresh, autoRefresh: true }, /autoRefresh\(\)/],
    ['tabs: { name } (now an import)', { refresh, tabs: { name: 'a' } }, /coordinateTabs\(\)/],
    ['the removed debug option', { refresh, debug: true }, /logTimeline\(auth\)/],
    ['the removed wake option', { refresh, wake: () => () => {} }, /autoRefresh\(\{ wake \}\)/],
  ])('should refuse %s with a clear error', (_, options, message) => {
    expect(messageOf(() => createAuth(options as AuthOptions))).toMatch(message)
  })
})

describe('attach options', () => {
  const auth = createAuth({ refresh })

  it('should refuse a non-instance in every build', () => {
    expect(messageOf(() => auth.attach(null as never))).toMatch(/`instance`/)
  })

  it.runIf(build === 'development').each([
    ['a bad header name', axios.create(), { headerName: 'Bad Header' }, /`headerName`/],
    ['a non-error status', axios.create(), { refreshOn: [200] }, /`refreshOn`/],
    [
      'an allowed origin without scheme',
      axios.create(),
      { allowedOrigins: ['api.example.com'] },
      /`allowedOrigins`/,
    ],
  ])('should refuse %s with a clear error', (_, instance, options, message) => {
    expect(messageOf(() => auth.attach(instance as never, options as never))).toMatch(message)
  })

  it.runIf(build === 'development')('should install nothing when the options are refused', () => {
    const instance = axios.create()
    messageOf(() => auth.attach(instance, { refreshOn: [200] }))
    // biome-ignore lint/suspicious/noExplicitAny: reading Axios' handler list
    expect((instance.interceptors.request as any).handlers.filter(Boolean)).toHaveLength(0)
  })
})
