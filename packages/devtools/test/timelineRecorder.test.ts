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
})
