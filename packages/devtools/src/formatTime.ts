/** `in 12 s` or `3 s ago`, for a moment relative to `now`. */
export function formatRelative(at: number, now: number): string {
  const seconds = Math.round((at - now) / 1000)
  return seconds >= 0 ? `in ${seconds} s` : `${-seconds} s ago`
}

/** A clock time such as `14:03:07`. */
export function formatClock(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour12: false })
}
