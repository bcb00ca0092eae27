import { describe, expect, it } from 'vitest'
import { formatClock, formatRelative } from '../src/formatTime'

describe('formatRelative', () => {
  const now = Date.UTC(2026, 0, 1)
  it('should count seconds near now, and larger units further away', () => {
    expect(formatRelative(now + 12_000, now)).toBe('in 12 s')
    expect(formatRelative(now - 3_000, now)).toBe('3 s ago')
    expect(formatRelative(now - 5 * 60_000, now)).toBe('5 min ago')
    expect(formatRelative(now + 3 * 3_600_000, now)).toBe('in 3 h')
    expect(formatRelative(now - 10 * 86_400_000, now)).toBe('10 days ago')
    // the token pasted in the issue: 96307508 s ago
    expect(formatRelative(now - 96_307_508_000, now)).toBe('3 years ago')
  })
})

describe('formatClock', () => {
  it('should use a 24-hour clock with seconds', () => {
    expect(formatClock(new Date(2026, 0, 1, 14, 3, 7).getTime())).toMatch(/^14:03:07$/)
  })
})
