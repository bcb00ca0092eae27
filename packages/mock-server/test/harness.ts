import type { AuthServerOptions } from '../src/types'
import { createTestClock, useMockAuthServer } from '../src/vitest'

export const BASE = 'http://auth.test'

/** The server through msw/node, on a hand-moved clock, reset after every test. */
export function useAuthServer(options: Partial<AuthServerOptions> = {}) {
  const clock = createTestClock()
  const { server, network } = useMockAuthServer({
    baseUrl: BASE,
    accessTokenTtl: 60,
    refreshTokenTtl: 3600,
    now: clock.now,
    ...options,
  })
  return { server, clock, network }
}

/** POSTs JSON and returns status, headers and the parsed body. */
export async function postJson(path: string, body: unknown, headers: Record<string, string> = {}) {
  return read(
    await fetch(`${BASE}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  )
}

/** GETs with an optional bearer token. */
export async function getWith(path: string, token?: string) {
  return read(
    await fetch(`${BASE}${path}`, token ? { headers: { Authorization: `Bearer ${token}` } } : {}),
  )
}

/** POSTs a form, RFC 6749 style. */
export async function postForm(path: string, form: Record<string, string>) {
  return read(
    await fetch(`${BASE}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    }),
  )
}

async function read(response: Response) {
  const text = await response.text()
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies
  let body: any = text
  try {
    body = JSON.parse(text)
  } catch {}
  return { status: response.status, headers: response.headers, body }
}

/** Decodes a JWT's header and payload (no verification: that is the server's job). */
export function decodeJwt(token: string) {
  const [header, payload] = token
    .split('.')
    .slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()))
  return { header, payload }
}

export const demo = { email: 'demo@retoken.dev', password: 'password123' }
