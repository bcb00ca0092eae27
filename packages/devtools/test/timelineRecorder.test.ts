import { createAuth } from '@retoken/core'
import { useMockAuthServer } from '@retoken/mock-server/vitest'
import axios from 'axios'
import { describe, expect, it } from 'vitest'
import { createTimelineRecorder } from '../src/index'

const API = 'http://api.test'

describe('createTimelineRecorder', () => {
  const { server } = useMockAuthServer({ baseUrl: API, accessTokenTtl: 60 })

  it('should tell a request’s life in order, with one step per thing that happened', async () => {
    const api = axios.create({ baseURL: API })
    const auth = createAuth({
      refresh: async ({ refreshToken, signal }) =>
        (await axios.post(`${API}/auth/refresh`, { refreshToken }, { signal })).data,
    })
    auth.attach(api)
    const recorder = createTimelineRecorder(auth)
    await auth.setTokens(await server.issueTokens())
    // the server's clock moves on: the token the client trusts is refused once
    server.clock.setOffset(120)
    await api.get('/api/orders')

    const requests = recorder.getSnapshot().filter((entry) => entry.kind === 'request')
    expect(requests).toHaveLength(1)
    expect(requests[0]).toMatchObject({
      method: 'GET',
      status: 200,
      steps: ['sent', '401', 'queued', 'retried', 'succeeded'],
    })
    const refreshes = recorder.getSnapshot().filter((entry) => entry.kind === 'refresh')
    expect(refreshes).toMatchObject([{ reason: '401', outcome: 'succeeded' }])
    recorder.dispose()
    auth.destroy()
  })

  it('should end the requests that waited for a refresh that failed, instead of leaving them queued', async () => {
    const api = axios.create({ baseURL: API })
    const auth = createAuth({
      refresh: async ({ refreshToken, signal }) =>
        (await axios.post(`${API}/auth/refresh`, { refreshToken }, { signal })).data,
    })
    auth.attach(api)
    const recorder = createTimelineRecorder(auth)
    await auth.setTokens(await server.issueTokens())
    server.clock.setOffset(120)
    server.faults.failNextRefresh(1, 'server-error')
    await expect(api.get('/api/orders')).rejects.toThrow()
    const [request] = recorder.getSnapshot().filter((entry) => entry.kind === 'request')
    expect(request).toMatchObject({ steps: ['sent', '401', 'queued', 'failed (no token)'] })
    expect(recorder.getSnapshot().find((entry) => entry.kind === 'refresh')).toMatchObject({
      outcome: 'failed (transient)',
    })
    recorder.dispose()
    auth.destroy()
  })

  it('should show a storage that could not keep the session', async () => {
    const auth = createAuth({
      refresh: async () => server.issueTokens(),
      storage: {
        get: () => null,
        set: () => {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
        },
        remove: () => {},
      },
    })
    const recorder = createTimelineRecorder(auth)
    await auth.setTokens(await server.issueTokens())
    const labels = recorder
      .getSnapshot()
      .flatMap((entry) => (entry.kind === 'session' ? [entry.label] : []))
    expect(labels).toEqual(expect.arrayContaining(['logged in', 'storage failed to save']))
    recorder.dispose()
    auth.destroy()
  })

  it('should hold what happens while paused and show it on resume', async () => {
    const auth = createAuth({ refresh: async () => server.issueTokens() })
    const recorder = createTimelineRecorder(auth)
    recorder.setPaused(true)
    await auth.setTokens(await server.issueTokens())
    await auth.logout()
    expect(recorder.getSnapshot()).toEqual([])
    expect(recorder.getBuffered()).toBe(2)
    recorder.setPaused(false)
    expect(recorder.getSnapshot().map((entry) => entry.kind === 'session' && entry.label)).toEqual([
      'logged in',
      'logged out',
    ])
    expect(recorder.getBuffered()).toBe(0)
    recorder.dispose()
    auth.destroy()
  })
})
