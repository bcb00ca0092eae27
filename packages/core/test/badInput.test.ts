import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import { build } from '#dev'
import {
  createAuth,
  type InvalidTokenError,
  isInvalidTokenError,
  isRefreshFailedError,
  memoryStorage,
  type RefreshResult,
} from '../src/index'
import { API, loggedInClient, refreshWithAxios, useMockAuthServer } from './harness'
import { unsignedJwt } from './jwt'

describe('bad input', () => {
  const { server, network, clock } = useMockAuthServer()

  it.each([
    ['a token that is not a JWT', { accessToken: 'not-a-jwt' }, 'not-a-jwt', /3 segments/],
    [
      'a token with bad base64',
      { accessToken: 'eyJhbGciOiJIUzI1NiJ9.@@@.x' },
      'undecodable',
      /invalid base64/,
    ],
    ['a token without exp', { accessToken: unsignedJwt({ sub: 'u' }) }, 'no-expiry', /no `exp`/],
    [
      'a token with a string exp',
      { accessToken: unsignedJwt({ exp: 'soon' }) },
      'bad-exp',
      /`exp`/,
    ],
    ['a missing accessToken', { refreshToken: 'r' }, 'no-access-token', /no `accessToken`/],
    [
      'a negative expiresIn',
      { accessToken: 'x.y.z', expiresIn: -1 },
      'bad-expires-in',
      /expiresIn/,
    ],
  ])('should refuse %s in setTokens and change nothing', async (_, tokens, reason, message) => {
    const storage = memoryStorage()
    const auth = createAuth({ refresh: refreshWithAxios, now: clock.now, storage })
    const good = await server.issueTokens()
    await auth.setTokens(good)
    const before = auth.getState()

    const error = await auth.setTokens(tokens as RefreshResult).catch((e: unknown) => e)

    expect(isInvalidTokenError(error)).toBe(true)
    expect((error as InvalidTokenError).reason).toBe(reason)
    // development explains it; production's message is the reason code
    expect((error as Error).message).toMatch(build === 'development' ? message : reason)
    expect(auth.getState()).toBe(before)
    expect(storage.get()).toMatchObject({ accessToken: good.accessToken })
  })

  it.each([
    [
      'an HTML error page',
      () =>
        new HttpResponse('<html><body>Bad Gateway</body></html>', {
          headers: { 'Content-Type': 'text/html' },
        }),
    ],
    ['a body without accessToken', () => HttpResponse.json({ token: 'x' })],
    ['a malformed access token', () => HttpResponse.json({ accessToken: 'a.b', expiresIn: 60 })],
  ])('should keep the session when the refresh answers with %s', async (_, respond) => {
    const { api, auth } = await loggedInClient(server, clock, { refreshMargin: 0 })
    const before = auth.getState()
    network.use(http.post(`${API}/auth/refresh`, respond))
    server.clock.setOffset(61)

    const error = await api.get('/api/echo').catch((e: unknown) => e)

    expect(isRefreshFailedError(error)).toBe(true)
    expect(isInvalidTokenError((error as Error).cause)).toBe(true)
    expect(auth.getState()).toMatchObject({
      status: 'authenticated',
      accessToken: before.accessToken,
    })
  })

  it('should accept opaque tokens with expiresIn and renew them before expiry', async () => {
    let issued = 0
    const auth = createAuth({
      now: clock.now,
      tokenFormat: 'opaque',
      refresh: async () => ({ accessToken: `opaque-${++issued}`, expiresIn: 60 }),
    })
    await auth.setTokens({ accessToken: 'opaque-0', expiresIn: 60 })
    expect(auth.getState()).toMatchObject({ claims: null, expiresAt: clock.now() + 60_000 })
    expect(await auth.getAccessToken()).toBe('opaque-0')
    clock.advance(50)
    expect(await auth.getAccessToken()).toBe('opaque-1')
  })

  it('should renew an opaque token without known expiry only on a 401', async () => {
    let issued = 0
    const auth = createAuth({
      now: clock.now,
      tokenFormat: 'opaque',
      refresh: async () => ({ accessToken: `opaque-${++issued}` }),
    })
    await auth.setTokens({ accessToken: 'opaque-0' })
    clock.advance(10 * 365 * 24 * 3600)
    expect(await auth.getAccessToken()).toBe('opaque-0')
    expect(issued).toBe(0)
  })

  it('should start with no session when storage holds garbage', () => {
    const storage = memoryStorage()
    storage.set({ accessToken: 'garbage' } as never)
    const auth = createAuth({ refresh: refreshWithAxios, now: clock.now, storage })
    expect(auth.getState().status).toBe('unauthenticated')
  })
})
