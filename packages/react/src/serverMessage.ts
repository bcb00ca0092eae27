/**
 * The message a server gave for a failure: OAuth's `error_description`, then
 * `message` or `error` from a JSON body, then the error's own message.
 */
export function serverMessage(error: unknown): string {
  const data = (error as { response?: { data?: unknown } } | null)?.response?.data
  if (typeof data === 'object' && data !== null) {
    for (const key of ['error_description', 'message', 'error'] as const) {
      const value = (data as Record<string, unknown>)[key]
      if (typeof value === 'string' && value) return value
    }
  }
  if (error instanceof Error && error.message) return error.message
  return 'Something went wrong'
}
