import type { InternalAxiosRequestConfig } from 'axios'
import type { Emitter } from '../engine/emitter'
import type { AuthEvents, DpopRefreshHelper } from '../engine/types'
import { DpopNonceError } from '../errors/DpopNonceError'
import { InvalidOptionsError } from '../errors/InvalidOptionsError'
import { type AxiosAnswer, axiosHeader, axiosUrlOf } from './axiosDpop'
import { type DpopKeyStore, indexedDbKeyStore, memoryKeyStore } from './keyStore'
import { htuOf, publicJwk, signProof, thumbprintOf } from './proof'

/** What the DPoP plugin gets from the engine. */
export interface DpopHost {
  /** The storage's id (or 'default'): names the key in IndexedDB and its lock. */
  name: string
  /** The issuer's clock in ms: the local clock corrected by the skew retoken measured. */
  now(): number
  /** Where `dpopProof` and `dpopNonceRetry` go: the devtools' timeline reads them. */
  events: Pick<Emitter<AuthEvents>, 'emit' | 'has'>
}

/** What a transport does after a response to a DPoP request: resend once, give up, or go on. */
export type NonceVerdict = 'retry' | 'refused' | undefined

/** What the engine and the transports get from the DPoP plugin. */
export interface DpopLink {
  /** The thumbprint of the key, once it is loaded or created; `null` before. */
  readonly jkt: string | null
  /** Loads (or creates, under the tab lock) the key and returns its thumbprint. */
  thumbprint(): Promise<string>
  /** A fresh proof for one send, and the nonce it carries. */
  sign(
    method: string,
    url: string,
    accessToken?: string,
  ): Promise<{ proof: string; nonce: string | undefined }>
  /** Keeps the answer's `DPoP-Nonce`; on a `use_dpop_nonce` challenge says whether a retry may help. */
  answer(url: string, used: string | undefined, status: number, header: HeaderReader): NonceVerdict
  /**
   * Puts a DPoP-bound token on a request (RFC 9449 section 7.1): `DPoP` scheme and a
   * fresh proof carrying the token's hash. Returns the nonce the proof carries.
   */
  authorize(
    headers: { set(name: string, value: string): unknown },
    headerName: string,
    method: string,
    url: string,
    accessToken: string,
  ): Promise<string | undefined>
  /**
   * After a DPoP request's answer: keeps its nonce, and on `use_dpop_nonce` says to send
   * once more (a budget apart from the refresh retry). A server that asks again, or gives
   * no new nonce, gets a `DpopNonceError`: never a loop.
   */
  retryOnNonce(
    url: string,
    used: string | undefined,
    status: number,
    header: HeaderReader,
    alreadyRetried: boolean | undefined,
  ): boolean
  /** {@link authorize} for an Axios request config; records the URL and nonce on it. */
  authorizeAxios(
    config: InternalAxiosRequestConfig,
    headerName: string,
    accessToken: string,
  ): Promise<InternalAxiosRequestConfig>
  /** {@link retryOnNonce} for an Axios response; `false` for a request that carried no proof. */
  axiosAnswer(response: AxiosAnswer): boolean
  /** What a refresh function sends its call with. */
  readonly refresh: DpopRefreshHelper
  /** Deletes the key and every nonce (logout). */
  clear(): Promise<void>
  /** Forgets the cached key, so the next proof reads the store again (another tab changed it). */
  reload(): void
}

/** Reads one response header, whatever the client's header object. */
export type HeaderReader = (name: string) => string | null | undefined

/** Options of {@link dpop}. */
export interface DpopOptions {
  /**
   * Where the key pair lives.
   * @default IndexedDB in browsers (one key per app and issuer, shared by its tabs), memory elsewhere
   */
  store?: DpopKeyStore
  /**
   * A key pair of your own (ES256, P-256), for example imported non-extractable from a
   * secret in every Node process that shares the session. `logout()` does not delete it.
   */
  keyPair?: CryptoKeyPair | (() => Promise<CryptoKeyPair>)
  /**
   * The issuer the key is for: with the storage's id it names the key in IndexedDB, so
   * one app talking to two issuers holds two keys.
   */
  issuer?: string
}

/** DPoP, as `dpop()` returns it: pass it to `createAuth({ dpop })`; its methods serve your login call. */
export interface DpopPlugin {
  (host: DpopHost): DpopLink
  /**
   * `fetch` with a fresh proof in the `DPoP` header and the nonce retry: for your login
   * or code exchange, so the tokens it returns are bound to the key.
   * @example const response = await keys.fetch('https://auth.example.com/token', { method: 'POST', body })
   */
  fetch(url: string, init?: RequestInit, fetchFn?: typeof fetch): Promise<Response>
  /** A proof for a call you send with another client (Axios): put it in the `DPoP` header. */
  proof(method: string, url: string): Promise<string>
  /** The key's RFC 7638 thumbprint, as servers write it in `cnf.jkt`. */
  thumbprint(): Promise<string>
}

const NONCE_CHALLENGE = /(^|,)\s*DPoP\b[\s\S]*error="use_dpop_nonce"/i

/**
 * Sender-constrained tokens (RFC 9449): every request to an allowed origin that carries
 * a DPoP-bound token gets a fresh proof signed by a non-extractable ES256 key, retries
 * included; the refresh call gets one too; nonces are followed per origin with one
 * retry per new nonce. A separate import: apps without it do not ship it.
 * @example
 * const keys = dpop()
 * const auth = createAuth({ refresh: oauthRefresh({ issuer, clientId }), dpop: keys })
 */
export function dpop(options: DpopOptions = {}): DpopPlugin {
  const { keyPair, issuer } = options
  if (
    options.store &&
    !['get', 'set', 'remove'].every((m) => typeof options.store?.[m as 'get'] === 'function')
  ) {
    throw new InvalidOptionsError('dpop.store', 'must have get(), set() and remove() methods')
  }
  let link: DpopLink | null = null
  const installed = () => {
    if (!link) throw new InvalidOptionsError('dpop', 'pass this dpop() to createAuth() first')
    return link
  }

  const plugin = ((host: DpopHost): DpopLink => {
    const id = issuer ? `${host.name}|${issuer}` : host.name
    const store =
      options.store ?? (typeof indexedDB === 'undefined' ? memoryKeyStore() : indexedDbKeyStore(id))
    const nonces = new Map<string, string>()
    let loading: Promise<{ pair: CryptoKeyPair; jwk: JsonWebKey; jkt: string }> | null = null
    let jkt: string | null = null

    const load = () => {
      loading ??= (async () => {
        const pair = keyPair
          ? typeof keyPair === 'function'
            ? await keyPair()
            : keyPair
          : await underTabLock(`retoken-dpop:${id}`, () => obtain(store))
        const jwk = await publicJwk(pair.publicKey)
        jkt = await thumbprintOf(jwk)
        return { pair, jwk, jkt }
      })().catch((error) => {
        loading = null
        throw error
      })
      return loading
    }

    const origin = (url: string) => new URL(url).origin
    const sign: DpopLink['sign'] = async (method, url, accessToken) => {
      const key = await load()
      const { pair, jwk } = key
      const nonce = nonces.get(origin(url))
      const iat = Math.floor(host.now() / 1000)
      const signed = await signProof(pair.privateKey, jwk, { method, url, iat, nonce, accessToken })
      if (host.events.has('dpopProof'))
        host.events.emit('dpopProof', { jkt: key.jkt, claims: signed.claims })
      return { proof: signed.proof, nonce }
    }

    // a nonce retry helps only when the server gave a nonce other than the one refused
    const answer: DpopLink['answer'] = (url, used, status, header) => {
      const given = header('dpop-nonce')
      if (given) nonces.set(origin(url), given)
      if (status !== 401 || !NONCE_CHALLENGE.test(header('www-authenticate') ?? ''))
        return undefined
      return verdict(url, used)
    }
    const verdict = (url: string, used: string | undefined): NonceVerdict => {
      const current = nonces.get(origin(url))
      return current !== undefined && current !== used ? 'retry' : 'refused'
    }
    const retrying = (url: string, status: number) =>
      host.events.emit('dpopNonceRetry', {
        url: htuOf(url),
        status,
        nonce: nonces.get(origin(url)) as string,
      })

    const retryOnNonce: DpopLink['retryOnNonce'] = (url, used, status, header, alreadyRetried) => {
      const next = answer(url, used, status, header)
      if (next === undefined) return false
      if (next === 'refused' || alreadyRetried) throw new DpopNonceError(url)
      retrying(url, status)
      return true
    }

    const refresh: DpopRefreshHelper = {
      async fetch(url, init = {}, fetchFn) {
        const send = fetchFn ?? globalThis.fetch
        for (let retried = false; ; retried = true) {
          const { proof, nonce } = await sign(init.method ?? 'GET', url)
          const headers = new Headers(init.headers)
          headers.set('DPoP', proof)
          const response = await send(url, { ...init, headers })
          let next = answer(url, nonce, response.status, (name) => response.headers.get(name))
          // a token endpoint asks with a 400 and an OAuth error body (RFC 9449 section 8)
          if (next === undefined && response.status === 400) {
            const body = (await response
              .clone()
              .json()
              .catch(() => null)) as { error?: unknown } | null
            if (body?.error === 'use_dpop_nonce') next = verdict(url, nonce)
          }
          if (next === undefined) return response
          if (next === 'refused' || retried) throw new DpopNonceError(url)
          retrying(url, response.status)
        }
      },
      proof: async (method, url) => (await sign(method, url)).proof,
    }

    link = {
      get jkt() {
        return jkt
      },
      thumbprint: async () => (await load()).jkt,
      sign,
      answer,
      async authorize(headers, headerName, method, url, accessToken) {
        const { proof, nonce } = await sign(method, url, accessToken)
        headers.set(headerName, `DPoP ${accessToken}`)
        headers.set('DPoP', proof)
        return nonce
      },
      retryOnNonce,
      async authorizeAxios(config, headerName, accessToken) {
        const method = (config.method ?? 'get').toUpperCase()
        const dpopUrl = axiosUrlOf(config)
        const dpopNonce = await link?.authorize(
          config.headers,
          headerName,
          method,
          dpopUrl,
          accessToken,
        )
        config._retoken = { ...config._retoken, dpopUrl, dpopNonce }
        return config
      },
      axiosAnswer({ config, status, headers }) {
        const marker = config._retoken
        if (!marker?.dpopUrl) return false
        return retryOnNonce(
          marker.dpopUrl,
          marker.dpopNonce,
          status,
          axiosHeader(headers),
          marker.nonceRetried,
        )
      },
      refresh,
      async clear() {
        nonces.clear()
        loading = null
        jkt = null
        if (!keyPair) await store.remove()
      },
      reload() {
        loading = null
      },
    }
    return link
  }) as DpopPlugin
  plugin.fetch = (url, init, fetchFn) => installed().refresh.fetch(url, init, fetchFn)
  plugin.proof = (method, url) => installed().refresh.proof(method, url)
  plugin.thumbprint = () => installed().thumbprint()
  return plugin
}

/** The stored key pair, or a new one: ES256 with a private key that can never be exported. */
async function obtain(store: DpopKeyStore): Promise<CryptoKeyPair> {
  const stored = await store.get()
  if (stored) return stored
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ])
  await store.set(pair)
  return pair
}

interface LocksLike {
  request<T>(name: string, task: () => Promise<T>): Promise<T>
}

// Two tabs creating a key at once would bind their sessions to different keys: the
// first tab to get the lock creates it, the others find it stored.
function underTabLock<T>(name: string, task: () => Promise<T>): Promise<T> {
  const locks = (globalThis as { navigator?: { locks?: LocksLike } }).navigator?.locks
  return locks ? locks.request(name, task) : task()
}
