import type { AxiosError, AxiosInstance, AxiosResponse, InternalAxiosRequestConfig } from 'axios'
import { createRedirectGuard } from '#platform'
import type { Engine } from '../engine/engine'
import { type AllowedOrigins, createOriginPolicy } from '../engine/originPolicy'
import type { Session } from '../engine/session'
import type { RequestSummary } from '../engine/types'
import { InvalidOptionsError } from '../errors/InvalidOptionsError'
import type { RetokenRequestMarker } from './axiosConfig'
import { resolveTransportOptions, type TransportOptions } from './transportOptions'

/** Decides, after a status in `refreshOn`, whether this failed request should refresh and retry. */
export type ShouldRefreshPredicate = (error: AxiosError) => boolean
/** Options of `auth.attach()`. */
export interface AttachOptions extends TransportOptions {
  /**
   * Origins that receive the access token, besides relative URLs (always allowed).
   * @default the origin of the instance's `baseURL`
   * @example allowedOrigins: ['https://api.example.com', /^https:\/\/[a-z]+\.example\.com$/]
   */
  allowedOrigins?: AllowedOrigins
  /**
   * A finer rule, asked after a status in `refreshOn`: return `false` to pass the error through.
   * @example shouldRefresh: (error) =>
   *   !String(error.response?.headers['www-authenticate']).includes('insufficient_scope')
   */
  shouldRefresh?: ShouldRefreshPredicate
}

// What Axios itself counts as absolute (it then ignores `baseURL`): a scheme or `//`.
const AXIOS_ABSOLUTE = /^([a-z][a-z\d+\-.]*:)?\/\//i

/**
 * The Axios transport: a request interceptor that adds the token (or waits for the
 * refresh it needs) and a response interceptor that refreshes once and retries once
 * on a refusal. Returns the function that removes both.
 */
export function attachAxios(
  engine: Engine,
  instance: AxiosInstance,
  options: AttachOptions = {},
): () => void {
  if (typeof instance?.request !== 'function' || !instance.interceptors) {
    throw new InvalidOptionsError('instance')
  }
  const { headerName, prefix, refreshOn } = resolveTransportOptions(options)
  const { events } = engine
  const isAllowedUrl = createOriginPolicy(options.allowedOrigins, instance.defaults.baseURL)
  const guardRedirects = createRedirectGuard(isAllowedUrl, headerName)

  // The origin comes from the request itself, never from instance.getUri(), which would
  // merge the already merged config once more: a relative URL goes to baseURL's origin.
  let lastBase: string | undefined
  let lastVerdict = false
  const isAllowed = (config: InternalAxiosRequestConfig) => {
    const url = config.url ?? ''
    const base = config.baseURL
    if (!base || (config.allowAbsoluteUrls !== false && AXIOS_ABSOLUTE.test(url))) {
      return isAllowedUrl(url)
    }
    if (base !== lastBase) {
      lastVerdict = isAllowedUrl(base)
      lastBase = base
    }
    return lastVerdict
  }

  const infoOf = (config: InternalAxiosRequestConfig): RequestSummary => {
    config._retoken ??= new Marker()
    config._retoken.request ??= {
      id: engine.nextId(),
      method: (config.method ?? 'get').toUpperCase(),
      url: config.url ?? '',
    }
    return config._retoken.request
  }

  const send = (
    config: InternalAxiosRequestConfig,
    session: Session | null,
  ): InternalAxiosRequestConfig | Promise<InternalAxiosRequestConfig> => {
    if (!session) return config
    if (session.tokenType && engine.dpop) {
      return engine.dpop.authorizeAxios(config, headerName, session.accessToken).then(mark)
    }
    config.headers.set(headerName, prefix + session.accessToken)
    return mark(config)
  }

  const mark = (config: InternalAxiosRequestConfig) => {
    const marker = remark(config, { tokenGeneration: engine.generation() })
    config._retoken = marker
    guardRedirects?.(config)
    if (events.has('requestStarted')) {
      events.emit('requestStarted', { request: infoOf(config), retry: marker.retried === true })
    }
    return config
  }

  const attachToken = (
    config: InternalAxiosRequestConfig,
  ): InternalAxiosRequestConfig | Promise<InternalAxiosRequestConfig> => {
    if (config.skipAuth || config._retoken?.isRefreshCall || !isAllowed(config)) return config
    const session = engine.ready()
    if (session !== undefined) return send(config, session)
    return engine.sessionFor(config.signal, infoOf(config)).then((s) => send(config, s))
  }

  const finished = (config: InternalAxiosRequestConfig | undefined, status: number | null) => {
    if (config?._retoken?.tokenGeneration === undefined || !events.has('requestFinished')) return
    events.emit('requestFinished', {
      request: infoOf(config),
      status,
      ok: status !== null && status < 400,
    })
  }

  // The retry-once rule lives here: one refresh per refused token, one retry per request.
  const refreshAndRetry = async (error: unknown) => {
    if (!isAxiosError(error)) throw error
    const { config, response } = error
    finished(config, response?.status ?? null)
    if (!config || !response) throw error
    const marker = config._retoken
    // a fresh nonce is a resend of its own, whatever the refresh-and-retry rule says
    if (engine.dpop?.axiosAnswer(response)) {
      return instance.request({ ...config, _retoken: remark(config, { nonceRetried: true }) })
    }
    if (config.skipAuth || marker?.isRefreshCall) throw error
    if (!refreshOn.includes(response.status)) throw error
    // sent without a token (a login with a wrong password): nothing to refresh
    if (marker?.tokenGeneration === undefined) throw error
    if (marker.retried) throw error
    if (options.shouldRefresh && !options.shouldRefresh(error)) throw error
    // a 401 from a foreign host the request was redirected to says nothing of our token
    const finalUrl = responseUrlOf(response.request)
    if (finalUrl && !isAllowedUrl(finalUrl) && !isPageOrigin(finalUrl)) throw error
    const request = infoOf(config)
    if (!(await engine.afterRefusal(marker.tokenGeneration, config.signal, request))) throw error
    const retryConfig = { ...config, _retoken: remark(config, { retried: true }) }
    events.emit('requestRetried', { request })
    return instance.request(retryConfig)
  }

  const requestId = instance.interceptors.request.use(attachToken, null, {
    // runWhen is called synchronously while Axios builds the chain, which is the only
    // moment a request can be recognised as the refresh call itself
    runWhen: (config) => {
      if (!engine.isRefreshCall(config.signal)) return true
      config._retoken = { ...config._retoken, isRefreshCall: true }
      return false
    },
  })
  const responseId = instance.interceptors.response.use((response: AxiosResponse) => {
    finished(response.config, response.status)
    // every answer may bring the next nonce, 200s too
    engine.dpop?.axiosAnswer(response)
    return response
  }, refreshAndRetry)
  return engine.track(() => {
    instance.interceptors.request.eject(requestId)
    instance.interceptors.response.eject(responseId)
  })
}

// A marker is a class instance, not a plain object: Axios' mergeConfig deep-copies a
// config's plain objects, once per request and again in its adapters (most of the cost
// of a retry's bookkeeping), and hands an instance on as it is. So a send never shares
// its marker with the config it was copied from, each one gets a new marker (mark()).
class Marker {}
const remark = (config: InternalAxiosRequestConfig, fields: RetokenRequestMarker) =>
  Object.assign(new Marker(), config._retoken, fields) as RetokenRequestMarker

// Checked by shape, so the transport needs nothing from Axios at run time.
const isAxiosError = (error: unknown): error is AxiosError =>
  (error as { isAxiosError?: unknown } | null)?.isAxiosError === true

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
