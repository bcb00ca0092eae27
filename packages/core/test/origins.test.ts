import axios, { type AxiosError } from 'axios'
import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import { createAuth } from '../src/index'
import { API, bearerOf, refreshWithAxios, useMockAuthServer } from './harness'

describe('attach: who receives the token', () => {
  const { server, network, clock } = useMockAuthServer()

  // foreign hosts answer with the headers they saw, so a leak would show
  const captured: Array<{ url: string; authorization: string | null }> = []
  const capture = (url: string) =>
    http.all(url, ({ request }) => {
      captured.push({ url: request.url, authorization: request.headers.get('authorization') })
      return HttpResponse.json({ ok: true })
    })

  it('should send the access token to the baseURL origin and relative URLs only', async () => {
    captured.length = 0
    network.use(
      capture('https://evil.example/*'),
      capture('http://api.test.evil.example/*'),
      capture('https://api.test/*'),
    )
    const api = axios.create({ baseURL: API })
    const auth = createAuth({ refresh: refreshWithAxios, now: clock.now })
    auth.attach(api)
    const session = await server.issueTokens()
    await auth.setTokens(session)

    const own = await api.get('/api/echo')
    expect(bearerOf(own.data.headers)).toBe(session.accessToken)

    await api.get('https://evil.example/steal')
    await api.get('http://api.test.evil.example/steal')
    await api.get('https://api.test/other-scheme')
    expect(captured).toHaveLength(3)
    expect(captured.every((request) => request.authorization === null)).toBe(true)

    // Node's http adapter cannot even send a protocol-relative URL; the header must
    // still not have been attached before it failed
    const error = await api.get('//evil.example/steal').catch((e: unknown) => e)
    expect((error as AxiosError).config?.headers.Authorization).toBeUndefined()
  })

  it('should give the refresh token to nothing but the refresh function', async () => {
    captured.length = 0
    network.use(capture('https://evil.example/*'))
    const seen: Array<Promise<{ url: string; carried: string }>> = []
    network.events.on('request:start', ({ request }) => {
      const headers = [...request.headers].join(' ')
      seen.push(
        request
          .clone()
          .text()
          .then((body) => ({ url: request.url, carried: `${headers} ${body}` })),
      )
    })
    const api = axios.create({ baseURL: API })
    const auth = createAuth({ refresh: refreshWithAxios, now: clock.now })
    auth.attach(api)
    const session = await server.issueTokens()
    await auth.setTokens(session)
    server.clock.setOffset(61)
    await api.get('/api/echo')
    await api.get('https://evil.example/x')
    network.events.removeAllListeners()

    expect(server.counters.refreshCalls).toBe(1)
    const carriers = (await Promise.all(seen)).filter(({ carried }) =>
      carried.includes(session.refreshToken),
    )
    expect(carriers.map(({ url }) => url)).toEqual([`${API}/auth/refresh`])
    expect(JSON.stringify(auth.getState())).not.toContain(session.refreshToken)
  })

  it('should leave requests that opt out with skipAuth untouched', async () => {
    const api = axios.create({ baseURL: API })
    const auth = createAuth({ refresh: refreshWithAxios, now: clock.now })
    auth.attach(api)
    await auth.setTokens(await server.issueTokens())
    const response = await api.get('/public/echo', { skipAuth: true })
    expect(response.data.headers.authorization).toBeUndefined()
    await expect(api.get('/api/echo', { skipAuth: true })).rejects.toMatchObject({
      response: { status: 401 },
    })
    expect(server.counters.refreshCalls).toBe(0)
  })

  it('should use the configured header and scheme', async () => {
    const api = axios.create({ baseURL: API })
    const auth = createAuth({ refresh: refreshWithAxios, now: clock.now })
    auth.attach(api, { headerName: 'X-Access-Token', scheme: '' })
    const session = await server.issueTokens()
    await auth.setTokens(session)
    const response = await api.get('/public/echo')
    expect(response.data.headers['x-access-token']).toBe(session.accessToken)
    expect(response.data.headers.authorization).toBeUndefined()
  })
})
