import { version } from 'react'
import { version as domVersion } from 'react-dom'
import { describe, expect, it } from 'vitest'

describe('the React under test', () => {
  it('should be the major this Vitest project is for', () => {
    const major = process.env.REACT_MAJOR
    expect(major).toMatch(/^1[89]$/)
    expect(version.split('.')[0]).toBe(major)
    expect(domVersion.split('.')[0]).toBe(major)
  })
})
