import { DpopNonceError } from '../errors/DpopNonceError'
import { InvalidOptionsError } from '../errors/InvalidOptionsError'
import { axiosHeader, axiosUrlOf } from './axiosDpop'
import { createKeyHolder, type KeyHolder } from './keyHolder'
import { indexedDbKeyStore, memoryKeyStore } from './keyStore'
import { createNonceBook, type NonceBook } from './nonceBook'
import { signProof } from './proof'
import type { DpopHost, DpopLink, DpopOptions, DpopPlugin } from './types'

export type {
  DpopHost,
  DpopLink,
  DpopOptions,
  DpopPlugin,
  HeaderReader,
  NonceVerdict,
} from './types'

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
    link = createDpopLink(host, createKeyHolder(id, store, keyPair))
    return link
  }) as DpopPlugin
  plugin.fetch = (url, init, fetchFn) => installed().refresh.fetch(url, init, fetchFn)
  plugin.proof = (method, url) => installed().refresh.proof(method, url)
  plugin.thumbprint = () => installed().thumbprint()
  return plugin
}

/** The link of one `auth`: its key, its nonces, and the proofs signed with them. */
function createDpopLink(host: DpopHost, key: KeyHolder): DpopLink {
  const nonces = createNonceBook(host.events)

  const sign: DpopLink['sign'] = async (method, url, accessToken) => {
    const { pair, jwk, jkt } = await key.load()
    const nonce = nonces.get(url)
    const iat = Math.floor(host.now() / 1000)
    const signed = await signProof(pair.privateKey, jwk, { method, url, iat, nonce, accessToken })
    if (host.events.has('dpopProof')) host.events.emit('dpopProof', { jkt, claims: signed.claims })
    return { proof: signed.proof, nonce }
  }

  const link: DpopLink = {
    get jkt() {
      return key.jkt
    },
    thumbprint: async () => (await key.load()).jkt,
    sign,
    answer: nonces.answer,
    async authorize(headers, headerName, method, url, accessToken) {
      const { proof, nonce } = await sign(method, url, accessToken)
      headers.set(headerName, `DPoP ${accessToken}`)
      headers.set('DPoP', proof)
      return nonce
    },
    retryOnNonce: nonces.retryOnNonce,
    async authorizeAxios(config, headerName, accessToken) {
      const method = (config.method ?? 'get').toUpperCase()
      const dpopUrl = axiosUrlOf(config)
      const dpopNonce = await link.authorize(
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
      const header = axiosHeader(headers)
      return nonces.retryOnNonce(
        marker.dpopUrl,
        marker.dpopNonce,
        status,
        header,
        marker.nonceRetried,
      )
    },
    refresh: {
      fetch: (url, init, fetchFn) => fetchWithProof(sign, nonces, url, init, fetchFn),
      proof: async (method, url) => (await sign(method, url)).proof,
    },
    async clear() {
      nonces.clear()
      await key.clear()
    },
    reload: key.reload,
  }
  return link
}

/**
 * `fetch` with a fresh proof and one resend on a nonce challenge, for the refresh call
 * and the login: a token endpoint asks with a 400 and an OAuth error body (RFC 9449
 * section 8), a resource with a 401.
 */
async function fetchWithProof(
  sign: DpopLink['sign'],
  nonces: NonceBook,
  url: string,
  init: RequestInit = {},
  fetchFn: typeof fetch = globalThis.fetch,
): Promise<Response> {
  for (let retried = false; ; retried = true) {
    const { proof, nonce } = await sign(init.method ?? 'GET', url)
    const headers = new Headers(init.headers)
    headers.set('DPoP', proof)
    const response = await fetchFn(url, { ...init, headers })
    let next = nonces.answer(url, nonce, response.status, (name) => response.headers.get(name))
    if (next === undefined && response.status === 400) {
      const body = (await response
        .clone()
        .json()
        .catch(() => null)) as { error?: unknown } | null
      if (body?.error === 'use_dpop_nonce') next = nonces.verdict(url, nonce)
    }
    if (next === undefined) return response
    if (next === 'refused' || retried) throw new DpopNonceError(url)
    nonces.retrying(url, response.status)
  }
}
