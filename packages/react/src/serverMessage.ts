/**
 * The message a server gave for a failure: OAuth's `error_description`, then
 * `message` or `error` from a JSON body, then the error's own message.
 */
export function serverMessage(error: unknown): string {
  // a body that is not an object (text, nothing) has none of these keys
  const data = (error as { response?: { data?: Record<string, unknown> } } | null)?.response?.data
  for (const value of [data?.error_description, data?.message, data?.error]) {
    if (typeof value === 'string' && value) return value
  }
  return (error instanceof Error && error.message) || 'Something went wrong'
}
