import { describe, expect, it } from 'vitest'
import { checkTransportOptions } from '../src/dev/checkTransportOptions'
import { createOriginPolicy } from '../src/engine/originPolicy'

describe('createOriginPolicy', () => {
  const byDefault = createOriginPolicy(undefined, 'https://api.example.com/v1')

  it.each([
    '/orders',
    'orders',
    'https://api.example.com/v1/orders',
    'https://API.example.com:443/orders',
  ])('should allow %s by default', (url) => {
    expect(byDefault(url)).toBe(true)
  })

  it.each([
    '//evil.example/orders',
    'https://evil.example/orders',
    'https://api.example.com.evil.example/orders',
    'https://api.example.com@evil.example/orders',
    'http://api.example.com/orders',
    'https://api.example.com:8443/orders',
    'wss://api.example.com/socket',
    'javascript:alert(1)',
    // the origin an earlier version resolved relative URLs against, over plain http
    'http://retoken.relative.invalid/orders',
    // what the URL parser reads as protocol-relative
    '\\\\evil.example/orders',
    '/\\evil.example/orders',
    '/\t/evil.example/orders',
    ' //evil.example/orders',
  ])('should refuse %s by default', (url) => {
    expect(byDefault(url)).toBe(false)
  })

  it('should allow only relative URLs when the instance has no absolute baseURL', () => {
    const policy = createOriginPolicy(undefined, '/api')
    expect(policy('/api/orders')).toBe(true)
    expect(policy('https://api.example.com/orders')).toBe(false)
  })

  it('should allow exact origins and patterns when configured', () => {
    const policy = createOriginPolicy(
      ['https://a.example.com', /^https:\/\/[a-z]+\.b\.example$/],
      undefined,
    )
    expect(policy('https://a.example.com/x')).toBe(true)
    expect(policy('https://files.b.example/x')).toBe(true)
    expect(policy('https://a.example.com.evil.example/x')).toBe(false)
  })

  it('should ask a predicate for absolute URLs', () => {
    const policy = createOriginPolicy((url) => url.hostname.endsWith('.example.com'), undefined)
    expect(policy('https://x.example.com/')).toBe(true)
    expect(policy('https://example.com.evil/')).toBe(false)
    expect(policy('/relative')).toBe(true)
  })

  it('should refuse an allowed origin that is not an absolute URL, in development', () => {
    expect(() => checkTransportOptions({ allowedOrigins: ['api.example.com'] })).toThrowError(
      expect.objectContaining({ name: 'InvalidOptionsError', option: 'allowedOrigins' }),
    )
  })

  it('should give nothing to an entry that is not an absolute URL (production skips the check)', () => {
    const policy = createOriginPolicy(['api.example.com', 'https://ok.example'], undefined)
    expect(policy('https://api.example.com/x')).toBe(false)
    expect(policy('http://api.example.com/x')).toBe(false)
    expect(policy('https://ok.example/x')).toBe(true)
  })
})
