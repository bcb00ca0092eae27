// The network, which the benchmark owns and so may fake: one `answer(request)` function
// (the mock auth server's handlers, or a small in-memory API) handed to Axios as an
// adapter and to fetch users as their fetch. Refresh calls are counted on the way.
import type { AuthServer } from '@retoken/mock-server'
import axios, {
  type AxiosAdapter,
  AxiosError,
  AxiosHeaders,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios'
import { getResponse } from 'msw'
import { type Tokens, tokenPair } from './tokens'

export type FetchLike = (input: Request | string | URL, init?: RequestInit) => Promise<Response>
type Answer = (request: Request) => Promise<Response>

/** What every library is wired to: Axios adapter and fetch over the same server. */
export interface Network {
  baseURL: string
  adapter: AxiosAdapter
  fetch: FetchLike
  /** Calls that reached `/auth/refresh`. */
  refreshCalls(): number
  /** Whether a refresh call is being answered right now. */
  refreshing(): boolean
}

export const REFRESH_PATH = '/auth/refresh'

/** Rejects as Axios' own adapters do (its `settle`) for a status `validateStatus` refuses. */
export function settle(config: InternalAxiosRequestConfig, response: AxiosResponse): AxiosResponse {
  if (!config.validateStatus || config.validateStatus(response.status)) return response
  const code = response.status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST
  throw new AxiosError(
    `Request failed with status code ${response.status}`,
    code,
    config,
    {},
    response,
  )
}

function network(baseURL: string, answer: Answer): Network {
  let calls = 0
  let inFlight = 0
  const counted: Answer = async (request) => {
    if (!request.url.endsWith(REFRESH_PATH)) return answer(request)
    calls += 1
    inFlight += 1
    try {
      return await answer(request)
    } finally {
      inFlight -= 1
    }
  }
  const adapter: AxiosAdapter = async (config) => {
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(config.headers.toJSON())) {
      if (typeof value === 'string') headers[name] = value
    }
    const method = (config.method ?? 'get').toUpperCase()
    const body = typeof config.data === 'string' ? config.data : null
    const response = await counted(new Request(axios.getUri(config), { method, headers, body }))
    return settle(config, {
      data: await response.text(),
      status: response.status,
      statusText: response.statusText,
      headers: new AxiosHeaders(Object.fromEntries(response.headers)),
      config,
      request: {},
    })
  }
  return {
    baseURL,
    adapter,
    fetch: (input, init) => counted(new Request(input, init)),
    refreshCalls: () => calls,
    refreshing: () => inFlight > 0,
  }
}

/** The mock auth server, in process: its msw handlers answer each request directly. */
export function serverNetwork(server: AuthServer): Network {
  return network(server.options.baseUrl, async (request) => {
    const response = await getResponse(server.handlers, request)
    return response ?? Response.json({ error: 'not_found' }, { status: 404 })
  })
}

const json = (value: unknown, status = 200) => Response.json(value, { status })

/**
 * A small API in memory: `GET` anything answers 200 to the current access token and
 * 401 to any other; `POST /auth/refresh` mints a new pair (after `refreshDelayMs`).
 * `revoke()` makes the current token one the API refuses, as an expiry would.
 */
export function gatedNetwork(options: { now: () => number; ttl: number; refreshDelayMs?: number }) {
  const baseURL = 'http://gated.test'
  let valid: string | null = null
  const issue = (): Tokens => {
    const tokens = tokenPair(options.now(), options.ttl)
    valid = tokens.accessToken
    return tokens
  }
  const net = network(baseURL, async (request) => {
    if (request.url.endsWith(REFRESH_PATH)) {
      const { refreshDelayMs = 0 } = options
      if (refreshDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, refreshDelayMs))
      return json(issue())
    }
    const ok = valid !== null && request.headers.get('authorization') === `Bearer ${valid}`
    return ok ? json({ ok: true, items: [1, 2, 3] }) : json({ error: 'invalid_token' }, 401)
  })
  return {
    ...net,
    login: issue,
    revoke: () => {
      valid = null
    },
  }
}
