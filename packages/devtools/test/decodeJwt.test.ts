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

  it('should say what is wrong with a token that is not a JWT', () => {
    expect(() => decodeJwt('abc')).toThrow('three dot-separated parts')
    expect(() => decodeJwt('a.b.c')).toThrow('could not be decoded')
  })
})
