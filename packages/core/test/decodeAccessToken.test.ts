import { describe, expect, it } from 'vitest'
import { decodeAccessToken } from '../src/engine/decodeAccessToken'
import { isInvalidTokenError } from '../src/errors/InvalidTokenError'
import { unsignedJwt } from './jwt'

const reasonOf = (token: unknown) => {
  try {
    decodeAccessToken(token)
  } catch (error) {
    expect(isInvalidTokenError(error)).toBe(true)
    return (error as Error).message
  }
  throw new Error('expected decodeAccessToken to throw')
}

describe('decodeAccessToken', () => {
  it('should return the claims of a well-formed JWT', () => {
    expect(decodeAccessToken(unsignedJwt({ sub: 'u1', exp: 200, iat: 100 }))).toEqual({
      sub: 'u1',
      exp: 200,
      iat: 100,
    })
  })

  it.each([
    ['an empty string', '', /non-empty string/],
    ['a number', 42, /non-empty string/],
    ['two segments', 'abc.def', /3 segments, got 2/],
    ['four segments', 'a.b.c.d', /3 segments, got 4/],
    ['bad base64 in the payload', 'eyJhbGciOiJIUzI1NiJ9.%%%.sig', /invalid base64/],
    [
      'a payload that is not JSON',
      `eyJhbGciOiJIUzI1NiJ9.${Buffer.from('hello').toString('base64url')}.sig`,
      /invalid json/,
    ],
    [
      'a payload that is a JSON array',
      `eyJhbGciOiJIUzI1NiJ9.${Buffer.from('[1]').toString('base64url')}.sig`,
      /not a JSON object/,
    ],
    ['a non-numeric exp', unsignedJwt({ exp: 'tomorrow' }), /`exp` claim is not a number/],
    ['a non-numeric iat', unsignedJwt({ exp: 1, iat: 'now' }), /`iat` claim is not a number/],
  ])('should reject %s with a clear InvalidTokenError', (_, token, message) => {
    expect(reasonOf(token)).toMatch(message)
  })
})
