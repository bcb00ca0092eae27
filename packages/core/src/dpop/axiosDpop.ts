import type { InternalAxiosRequestConfig } from 'axios'
import type {} from '../transports/axiosConfig'

// What Axios itself counts as absolute (it then ignores `baseURL`): a scheme or `//`.
const AXIOS_ABSOLUTE = /^([a-z][a-z\d+\-.]*:)?\/\//i

/** The URL Axios sends to, as `htu` needs it: `baseURL` joined as Axios joins it. */
export function axiosUrlOf(config: InternalAxiosRequestConfig): string {
  const url = config.url ?? ''
  const base = config.baseURL
  const joined =
    !base || (config.allowAbsoluteUrls !== false && AXIOS_ABSOLUTE.test(url))
      ? url
      : `${base.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`
  return new URL(joined, (globalThis as { location?: { href?: string } }).location?.href).href
}

/** What the Axios transport hands over of a response (or of an error's response). */
export interface AxiosAnswer {
  config: InternalAxiosRequestConfig
  status: number
  headers: unknown
}

/** Reads a header of an Axios response: an `AxiosHeaders` in every adapter of Axios 1. */
export const axiosHeader = (headers: unknown) => (name: string) =>
  (headers as { get(name: string): string | null }).get(name)
