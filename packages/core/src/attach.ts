import {
  type AxiosError,
  type AxiosInstance,
  type InternalAxiosRequestConfig,
  isAxiosError,
} from 'axios'
import type {} from './axiosConfig'
import { InvalidOptionsError } from './errors/InvalidOptionsError'
import { isRefreshFailedError } from './errors/RefreshFailedError'
import { type AllowedOrigins, createOriginPolicy } from './originPolicy'
import type { Session } from './session'
import type { RefreshReason, ShouldRefreshPredicate } from './types'

/** Options of `auth.attach()`. */
export interface AttachOptions {
  /**
   * Origins that receive the access token, besides relative URLs (always allowed).
   * @default the origin of the instance's `baseURL`
   * @example allowedOrigins: ['https://api.example.com', /^https:\/\/[a-z]+\.example\.com$/]
   */
  allowedOrigins?: AllowedOrigins
  /**
   * The header that carries the token.
   * @default 'Authorization'
   */
  headerName?: string
  /**
   * Put before the token with a space; `''` sends the bare token.
   * @default 'Bearer'
   */
  scheme?: string
  /**
   * Response statuses that mean "the access token was refused: refresh and retry".
   * @default [401]
   */
  refreshOn?: readonly number[]
  /**
   * A finer rule, asked after a status in `refreshOn`: return `false` to pass the error through.
   * @example shouldRefresh: (error) =>
   *   !String(error.response?.headers['www-authenticate']).includes('insufficient_scope')
   */
  shouldRefresh?: ShouldRefreshPredicate
}

/** What an attached instance needs from the `auth` it belongs to. */
export interface AttachRuntime {
  restored(): Promise<void>
  session(): Session | null
  /** Increases whenever the access token changes; identifies which token a request carried. */
  generation(): number
  isRefreshing(): boolean
  isRefreshCall(config: InternalAxiosRequestConfig): boolean
  /** Waits in the queue for the refresh in flight, starting one if none is. */
  waitForRefresh(config: InternalAxiosRequestConfig, reason: RefreshReason): Promise<Session>
  isDueForRenewal(session: Session): boolean
  isExpired(session: Session): boolean
  onRetry(config: InternalAxiosRequestConfig): void
}

/** Installs the interceptors on `instance` and returns the function that removes them. */
export function attachInterceptors(
  instance: AxiosInstance,
  runtime: AttachRuntime,
  options: AttachOptions = {},
): () => void {
  const { headerName = 'Authorization', scheme = 'Bearer', refreshOn = [401] } = options
  validate(instance, options)
  const isAllowedUrl = createOriginPolicy(options.allowedOrigins, instance.defaults.baseURL)

  const attachToken = async (config: InternalAxiosRequestConfig) => {
    if (config.skipAuth || config._retoken?.isRefreshCall) return config
    if (!isAllowedUrl(instance.getUri(config))) return config
    await runtime.restored()
    let session = runtime.session()
    if (runtime.isRefreshing()) {
      // going out with the token being replaced would only earn a 401
      session = await runtime.waitForRefresh(config, 'rejected')
    } else if (session && runtime.isDueForRenewal(session)) {
      try {
        session = await runtime.waitForRefresh(config, 'expiring')
      } catch (error) {
        // a renewal that failed for now still leaves a token that works until it expires
        if (!isRefreshFailedError(error) || runtime.isExpired(session)) throw error
      }
    }
    if (!session) return config
    config.headers.set(
      headerName,
      scheme ? `${scheme} ${session.accessToken}` : session.accessToken,
    )
    config._retoken = { ...config._retoken, tokenGeneration: runtime.generation() }
    guardRedirects(config)
    return config
  }

  // Node's adapter follows redirects itself and drops only `Authorization` on a host
  // change; the token, whatever its header, must never follow to a foreign origin.
  const guardRedirects = (config: InternalAxiosRequestConfig) => {
    const previous = config.beforeRedirect
    config.beforeRedirect = (redirect, response, request) => {
      if (!isAllowedUrl(redirectTarget(redirect))) removeHeader(redirect.headers, headerName)
      previous?.(redirect, response, request)
    }
  }

  // The retry-once rule lives here: one refresh per rejected token, one retry per request.
  const refreshAndRetry = async (error: unknown) => {
    if (!isAxiosError(error) || !error.config || !error.response) throw error
    const config = error.config
    const marker = config._retoken
    if (config.skipAuth || marker?.isRefreshCall) throw error
    if (!refreshOn.includes(error.response.status)) throw error
    // sent without a token (a login with a wrong password): nothing to refresh
    if (marker?.tokenGeneration === undefined) throw error
    if (marker.retried) throw error
    if (options.shouldRefresh && !options.shouldRefresh(error as AxiosError)) throw error
    // a 401 from a foreign host the request was redirected to says nothing of our token
    const finalUrl = responseUrlOf(error.response.request)
    if (finalUrl && !isAllowedUrl(finalUrl) && !isPageOrigin(finalUrl)) throw error
    const session = runtime.session()
    if (!session && !runtime.isRefreshing()) throw error
    // a request that failed with an older token than the current one never starts a
    // refresh: the token it needed is already here (or on its way)
    if (!session || runtime.generation() === marker.tokenGeneration) {
      await runtime.waitForRefresh(config, 'rejected')
    }
    const retryConfig = { ...config, _retoken: { ...marker, retried: true } }
    runtime.onRetry(retryConfig)
    return instance.request(retryConfig)
  }

  const requestId = instance.interceptors.request.use(attachToken, null, {
    // runWhen is called synchronously while Axios builds the chain, which is the only
    // moment a request can be recognised as the refresh call itself
    runWhen: (config) => {
      if (runtime.isRefreshCall(config)) {
        config._retoken = { ...config._retoken, isRefreshCall: true }
        return false
      }
      return true
    },
  })
  const responseId = instance.interceptors.response.use(null, refreshAndRetry)
  return () => {
    instance.interceptors.request.eject(requestId)
    instance.interceptors.response.eject(responseId)
  }
}

function validate(instance: AxiosInstance, options: AttachOptions): void {
  if (typeof instance?.request !== 'function' || !instance.interceptors) {
    throw new InvalidOptionsError('instance', 'attach() needs an Axios instance')
  }
  if (options.headerName !== undefined && !/^[!#$%&'*+.^_`|~\w-]+$/.test(options.headerName)) {
    throw new InvalidOptionsError(
      'headerName',
      `"${options.headerName}" is not a valid header name`,
    )
  }
  if (options.scheme !== undefined && typeof options.scheme !== 'string') {
    throw new InvalidOptionsError('scheme', 'must be a string')
  }
  const { refreshOn } = options
  if (
    refreshOn !== undefined &&
    !(
      Array.isArray(refreshOn) && refreshOn.every((s) => Number.isInteger(s) && s >= 400 && s < 600)
    )
  ) {
    throw new InvalidOptionsError('refreshOn', 'must be an array of HTTP error statuses (400-599)')
  }
  if (options.shouldRefresh !== undefined && typeof options.shouldRefresh !== 'function') {
    throw new InvalidOptionsError('shouldRefresh', 'must be a function')
  }
}

/** Where a redirect followed by Node's adapter goes (follow-redirects' options). */
function redirectTarget(redirect: Record<string, unknown>): string {
  if (typeof redirect.href === 'string') return redirect.href
  const port = redirect.port ? `:${String(redirect.port)}` : ''
  return `${String(redirect.protocol)}//${String(redirect.hostname ?? redirect.host)}${port}${String(redirect.path ?? '/')}`
}

function removeHeader(headers: unknown, name: string): void {
  if (typeof headers !== 'object' || headers === null) return
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === name.toLowerCase()) delete (headers as Record<string, unknown>)[key]
  }
}

/** The URL a response finally came from: XHR's `responseURL`, or Node's `res.responseUrl`. */
function responseUrlOf(request: unknown): string | null {
  if (typeof request !== 'object' || request === null) return null
  const xhr = (request as { responseURL?: unknown }).responseURL
  if (typeof xhr === 'string' && xhr) return xhr
  const node = (request as { res?: { responseUrl?: unknown } }).res?.responseUrl
  return typeof node === 'string' && node ? node : null
}

// A browser reports even a relative request's final URL as absolute, on the page's origin.
function isPageOrigin(url: string): boolean {
  const page = (globalThis as { location?: { origin?: string } }).location?.origin
  try {
    return page !== undefined && new URL(url).origin === page
  } catch {
    return false
  }
}
