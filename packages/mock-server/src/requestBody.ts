import { badRequest } from './httpErrors'

type Parsed<T> = { ok: true; value: T } | { ok: false; response: Response }

/** Reads a JSON object body no larger than `maxBytes`, or explains with a 400 why not. */
export async function readJsonObject(
  request: Request,
  maxBytes: number,
): Promise<Parsed<Record<string, unknown>>> {
  const text = await readText(request, maxBytes)
  if (!text.ok) return text
  if (!/^application\/(.+\+)?json\b/i.test(request.headers.get('content-type') ?? '')) {
    return fail('The body must be JSON (Content-Type: application/json)')
  }
  let value: unknown
  try {
    value = JSON.parse(text.value)
  } catch {
    return fail('The body is not valid JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('The body must be a JSON object')
  }
  return { ok: true, value: value as Record<string, unknown> }
}

/** Reads an `application/x-www-form-urlencoded` body, or explains with a 400 why not. */
export async function readForm(
  request: Request,
  maxBytes: number,
): Promise<Parsed<URLSearchParams>> {
  const text = await readText(request, maxBytes)
  if (!text.ok) return text
  if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers.get('content-type') ?? '')) {
    return fail('The body must be form-urlencoded (RFC 6749 section 4.1.3)')
  }
  return { ok: true, value: new URLSearchParams(text.value) }
}

/** Reads a required non-empty string field, or explains with a 400. */
export function stringField(
  body: Record<string, unknown>,
  name: string,
  maxLength = 4096,
): Parsed<string> {
  const value = body[name]
  if (value === undefined) return fail(`The "${name}" field is required`)
  if (typeof value !== 'string') return fail(`The "${name}" field must be a string`)
  if (value.length === 0 || value.length > maxLength) {
    return fail(`The "${name}" field must be 1 to ${maxLength} characters`)
  }
  return { ok: true, value }
}

async function readText(request: Request, maxBytes: number): Promise<Parsed<string>> {
  const declared = Number(request.headers.get('content-length') ?? 0)
  if (declared > maxBytes) return fail(`The body is larger than ${maxBytes} bytes`)
  const text = await request.text()
  if (new TextEncoder().encode(text).length > maxBytes) {
    return fail(`The body is larger than ${maxBytes} bytes`)
  }
  return { ok: true, value: text }
}

function fail(description: string): { ok: false; response: Response } {
  return { ok: false, response: badRequest(description) }
}
