const REDACTED = '[redacted]'
const MAX_DEPTH = 6

/**
 * Replaces `secret` wherever it appears in the strings of `value` (an error thrown
 * by the user's refresh call: an Axios error keeps the request body in
 * `config.data`, ky and fetch wrappers keep it elsewhere), in place, so nothing
 * retoken hands out, and nothing `console.error` prints, carries the refresh token.
 * Returns `value`.
 */
export function redactSecret<T>(value: T, secret: string | null): T {
  if (!secret) return value
  const seen = new WeakSet<object>()
  const visit = (node: unknown, depth: number): unknown => {
    if (typeof node === 'string')
      return node.includes(secret) ? node.split(secret).join(REDACTED) : node
    if (typeof node !== 'object' || node === null || depth > MAX_DEPTH || seen.has(node))
      return node
    seen.add(node)
    const keys = new Set([
      ...Object.keys(node),
      'message',
      'stack',
      'cause',
      'config',
      'response',
      'data',
      'request',
    ])
    for (const key of keys) {
      let child: unknown
      try {
        child = (node as Record<string, unknown>)[key]
      } catch {
        continue
      }
      const next = visit(child, depth + 1)
      if (next !== child) {
        try {
          ;(node as Record<string, unknown>)[key] = next
        } catch {
          // a frozen or getter-only field: nothing else to do with it
        }
      }
    }
    return node
  }
  return visit(value, 0) as T
}
