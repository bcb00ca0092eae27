const UNITS: ReadonlyArray<[limit: number, size: number, unit: string]> = [
  [90, 1, 's'],
  [90 * 60, 60, 'min'],
  [36 * 3600, 3600, 'h'],
  [60 * 86_400, 86_400, 'days'],
  [730 * 86_400, 30 * 86_400, 'months'],
  [Number.POSITIVE_INFINITY, 365 * 86_400, 'years'],
]

/** `in 12 s`, `3 min ago`, `2 years ago`: a moment relative to `now`, in a unit that stays readable. */
export function formatRelative(at: number, now: number): string {
  const seconds = Math.round((at - now) / 1000)
  const size = Math.abs(seconds)
  const [, unitSize, unit] = UNITS.find(([limit]) => size < limit) ?? UNITS[0]!
  const amount = Math.round(size / unitSize)
  const text = `${amount} ${unit}`
  return seconds >= 0 ? `in ${text}` : `${text} ago`
}

/** A clock time such as `14:03:07` (24 h), the one format the panel uses. */
export function formatClock(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour12: false })
}
