import { describe, expect, it } from 'vitest'
import { serverMessage } from '../src/serverMessage'

const responseError = (data: unknown) =>
  Object.assign(new Error('Request failed with status code 401'), { response: { data } })

describe('serverMessage', () => {
  it("should prefer OAuth's error_description", () => {
    expect(
      serverMessage(responseError({ error: 'invalid_grant', error_description: 'Expired' })),
    ).toBe('Expired')
  })

  it('should fall back to message, then error, from the body', () => {
    expect(serverMessage(responseError({ message: 'Locked out', error: 'locked' }))).toBe(
      'Locked out',
    )
    expect(serverMessage(responseError({ error: 'locked' }))).toBe('locked')
  })

  it("should fall back to the error's own message when the body has none", () => {
    expect(serverMessage(responseError('<html>Bad gateway</html>'))).toBe(
      'Request failed with status code 401',
    )
    expect(serverMessage(new Error('Network Error'))).toBe('Network Error')
  })

  it('should still say something for a thrown non-error', () => {
    expect(serverMessage('nope')).toBe('Something went wrong')
  })
})
