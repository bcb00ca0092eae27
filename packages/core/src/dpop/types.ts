import type { InternalAxiosRequestConfig } from 'axios'
import type { Emitter } from '../engine/emitter'
import type { AuthEvents, DpopRefreshHelper } from '../engine/types'
import type { AxiosAnswer } from './axiosDpop'
import type { DpopKeyStore } from './keyStore'

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
