export type { Auth } from './auth'
export { createAuth } from './createAuth'
export { createSession } from './createSession'
export { type DebugLogger, logTimeline } from './debug/logTimeline'
export {
  type DpopHost,
  type DpopLink,
  type DpopOptions,
  type DpopPlugin,
  dpop,
  type HeaderReader,
  type NonceVerdict,
} from './dpop/dpop'
export { type DpopKeyStore, indexedDbKeyStore, memoryKeyStore } from './dpop/keyStore'
export { isFatalRefreshError } from './engine/classifyRefreshError'
export type { Unsubscribe } from './engine/emitter'
export type { TabsPlugin, TimerPlugin } from './engine/extensions'
export { memoryStorage } from './engine/memoryStorage'
export type { AuthOptions } from './engine/options'
export type { AllowedOrigins } from './engine/originPolicy'
export type { TokenFormat } from './engine/session'
export type {
  AccessTokenClaims,
  AuthEvents,
  AuthState,
  AuthStatus,
  DpopProofClaims,
  DpopRefreshHelper,
  RefreshContext,
  RefreshErrorClassifier,
  RefreshReason,
  RefreshResult,
  RequestSummary,
  SessionControls,
  StorageSharing,
  StoredSession,
  TokenSet,
  TokenStorage,
} from './engine/types'
export { BodyNotReplayableError, isBodyNotReplayableError } from './errors/BodyNotReplayableError'
export { DpopNonceError, isDpopNonceError } from './errors/DpopNonceError'
export { InvalidOptionsError, isInvalidOptionsError } from './errors/InvalidOptionsError'
export { InvalidTokenError, isInvalidTokenError } from './errors/InvalidTokenError'
export { isOAuthError, OAuthError, type OAuthErrorResponse } from './errors/OAuthError'
export { isRefreshFailedError, RefreshFailedError } from './errors/RefreshFailedError'
export { isRetokenError, RetokenError } from './errors/RetokenError'
export { isSessionExpiredError, SessionExpiredError } from './errors/SessionExpiredError'
export {
  type QueryClientLike,
  type QueryLike,
  syncQueryClient,
} from './integrations/syncQueryClient'
export {
  type ClientAuthentication,
  type OAuthRefreshOptions,
  oauthRefresh,
} from './oauth/oauthRefresh'
export { coordinateStorage } from './shared/coordinateStorage'
export { parseRecord as parseSharedRecord } from './shared/record'
export { sharedStorage } from './shared/sharedStorage'
export type {
  SharedClaim,
  SharedLockOptions,
  SharedRecord,
  SharedStore,
  SharedWriteResult,
} from './shared/types'
export { type WebStorageLike, webStorage } from './storage/webStorage'
export { type CoordinateTabsOptions, coordinateTabs } from './tabs/coordinateTabs'
export { type AutoRefreshOptions, autoRefresh } from './timer/autoRefresh'
export { browserWakeSource, type WakeSource } from './timer/wakeSource'
export type { AttachOptions, ShouldRefreshPredicate } from './transports/axios'
export type { RetokenRequestMarker } from './transports/axiosConfig'
export {
  type AuthFetch,
  type AuthRequestInit,
  createFetch,
  type FetchOptions,
} from './transports/fetch'
export type { TransportOptions } from './transports/transportOptions'
