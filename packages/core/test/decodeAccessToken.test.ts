import { describe, expect, it } from 'vitest'
import { build } from '#dev'
import { decodeAccessToken } from '../src/engine/decodeAccessToken'
import { type InvalidTokenError, isInvalidTokenError } from '../src/errors/InvalidTokenError'
import { unsignedJwt } from './jwt'

const errorOf = (token: unknown) => {
  try {
    decodeAccessToken(token)
  } catch (error) {
    expect(isInvalidTokenError(error)).toBe(true)
    return error as InvalidTokenError
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
    ['an empty string', '', 'not-a-string', /non-empty string/],
    ['a number', 42, 'not-a-string', /non-empty string/],
    ['two segments', 'abc.def', 'not-a-jwt', /3 segments, got 2/],
    ['four segments', 'a.b.c.d', 'not-a-jwt', /3 segments, got 4/],
    ['bad base64 in the payload', 'eyJhbGciOiJIUzI1NiJ9.%%%.sig', 'undecodable', /invalid base64/],
    [
      'a payload that is not JSON',
      `eyJhbGciOiJIUzI1NiJ9.${Buffer.from('hello').toString('base64url')}.sig`,
      'undecodable',
      /invalid json/,
    ],
    [
      'a payload that is a JSON array',
      `eyJhbGciOiJIUzI1NiJ9.${Buffer.from('[1]').toString('base64url')}.sig`,
      'payload-not-object',
      /not a JSON object/,
    ],
    [
      'a non-numeric exp',
      unsignedJwt({ exp: 'tomorrow' }),
      'bad-exp',
      /`exp` claim is not a number/,
    ],
    [
      'a non-numeric iat',
      unsignedJwt({ exp: 1, iat: 'now' }),
      'bad-iat',
      /`iat` claim is not a number/,
    ],
  ])('should reject %s with a clear InvalidTokenError', (_, token, reason, message) => {
    const error = errorOf(token)
    expect(error.reason).toBe(reason)
    // development explains it; production's message is the reason code
    expect(error.message).toMatch(build === 'development' ? message : `Invalid token: ${reason}`)
  })
})
