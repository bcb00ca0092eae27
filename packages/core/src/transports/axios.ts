import type { AxiosError, AxiosInstance, AxiosResponse, InternalAxiosRequestConfig } from 'axios'
import { createRedirectGuard } from '#platform'
import type { Engine } from '../engine/engine'
import { type AllowedOrigins, createOriginPolicy } from '../engine/originPolicy'
import type { Session } from '../engine/session'
import type { RequestSummary } from '../engine/types'
import { InvalidOptionsError } from '../errors/InvalidOptionsError'
import { Marker, remark } from './axiosMarker'
import { axiosOriginCheck, isPageOrigin, responseUrlOf } from './axiosOrigin'
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
  const infoOf = (config: InternalAxiosRequestConfig): RequestSummary => {
    config._retoken ??= new Marker()
    config._retoken.request ??= {
      id: engine.nextId(),
      method: (config.method ?? 'get').toUpperCase(),
      url: config.url ?? '',
    }
    return config._retoken.request
  }

  const attachToken = authorizeRequests(engine, isAllowedUrl, headerName, prefix, infoOf)

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

// Checked by shape, so the transport needs nothing from Axios at run time.
const isAxiosError = (error: unknown): error is AxiosError =>
  (error as { isAxiosError?: unknown } | null)?.isAxiosError === true

/**
 * The request interceptor: adds the token to a request bound for an allowed origin, or
 * waits for the refresh it needs first.
 */
function authorizeRequests(
  engine: Engine,
  isAllowedUrl: (url: string) => boolean,
  headerName: string,
  prefix: string,
  infoOf: (config: InternalAxiosRequestConfig) => RequestSummary,
): (
  config: InternalAxiosRequestConfig,
) => InternalAxiosRequestConfig | Promise<InternalAxiosRequestConfig> {
  const guardRedirects = createRedirectGuard(isAllowedUrl, headerName)
  const isAllowed = axiosOriginCheck(isAllowedUrl)

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
    if (engine.events.has('requestStarted')) {
      engine.events.emit('requestStarted', {
        request: infoOf(config),
        retry: marker.retried === true,
      })
    }
    return config
  }

  return (
    config: InternalAxiosRequestConfig,
  ): InternalAxiosRequestConfig | Promise<InternalAxiosRequestConfig> => {
    if (config.skipAuth || config._retoken?.isRefreshCall || !isAllowed(config)) return config
    const session = engine.ready()
    if (session !== undefined) return send(config, session)
    return engine.sessionFor(config.signal, infoOf(config)).then((s) => send(config, s))
  }
}
