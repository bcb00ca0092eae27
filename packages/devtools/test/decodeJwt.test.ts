import { useMockAuthServer } from '@retoken/mock-server/vitest'
import { describe, expect, it } from 'vitest'
import { decodeJwt } from '../src/decodeJwt'

describe('decodeJwt', () => {
  const { server } = useMockAuthServer({ baseUrl: 'http://api.test' })

  it('should decode the header and claims of a token the server signed', async () => {
    const token = await server.signToken({ sub: 'u1', name: 'Zoë ✓', exp: 2_000_000_000 })
    const { header, payload } = decodeJwt(token)
    expect(header.alg).toBe('HS256')
    expect(payload).toMatchObject({ sub: 'u1', name: 'Zoë ✓', exp: 2_000_000_000 })
  })

  it('should accept a value copied from an Authorization header', async () => {
    const token = await server.signToken({ sub: 'u2', exp: 2_000_000_000 })
    expect(decodeJwt(`Bearer ${token}`).payload.sub).toBe('u2')
    expect(decodeJwt(`  bearer   ${token} `).payload.sub).toBe('u2')
  })

  it('should say in words what is wrong with a token that is not a JWT', () => {
    expect(() => decodeJwt('abc')).toThrow(
      'Not a JWT: it must have three parts separated by dots (this has 1)',
    )
    expect(() => decodeJwt('a.b.c')).toThrow(
      'Not a JWT that could be decoded: its header does not decode to UTF-8 text',
    )
    expect(() => decodeJwt('a+b.c.d')).toThrow('its header is not base64url')
    const json = (value: string) => Buffer.from(value).toString('base64url')
    expect(() => decodeJwt(`${json('{}')}.${json('nope')}.s`)).toThrow('its payload is not JSON')
    expect(() => decodeJwt(`${json('[1]')}.${json('{}')}.s`)).toThrow(
      'its header is JSON, but not an object',
    )
    expect(() =>
      decodeJwt(`${json('{}')}.${Buffer.from([0xff, 0xfe]).toString('base64url')}.s`),
    ).toThrow('its payload does not decode to UTF-8 text')
  })
})
