const REDACTED = '[redacted]'
const MAX_DEPTH = 6

/**
 * Replaces `secret` wherever it appears in the strings of `value` (an error thrown
 * by the user's refresh call: an Axios error keeps the request body in
 * `config.data`, ky keeps it in its frozen `options`), in place where it can and in
 * copies where it cannot, so nothing retoken hands out, and nothing `console.error`
 * prints, carries the refresh token.
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
    // a frozen object (ky freezes the options it keeps on its HTTPError) is replaced by
    // a redacted copy, which its parent takes in its place
    let copy: Record<string, unknown> | null = null
    for (const key of keys) {
      let child: unknown
      try {
        child = (node as Record<string, unknown>)[key]
      } catch {
        continue
      }
      const next = visit(child, depth + 1)
      if (next === child) continue
      if (!copy && assign(node, key, next)) continue
      copy ??= Object.assign(Object.create(Object.getPrototypeOf(node)), node)
      ;(copy as Record<string, unknown>)[key] = next
    }
    return copy ?? node
  }
  return visit(value, 0) as T
}

/** Sets a field in place; `false` when the object refuses (frozen, read-only, a getter). */
function assign(node: object, key: string, value: unknown): boolean {
  try {
    ;(node as Record<string, unknown>)[key] = value
  } catch {
    return false
  }
  return (node as Record<string, unknown>)[key] === value
}
