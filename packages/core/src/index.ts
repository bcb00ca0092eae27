export type { AttachOptions } from './attach'
export type { RetokenRequestMarker } from './axiosConfig'
export { isFatalRefreshError } from './classifyRefreshError'
export { createAuth } from './createAuth'
export type { DebugLogger } from './debugLog'
export type { Unsubscribe } from './emitter'
export { InvalidOptionsError, isInvalidOptionsError } from './errors/InvalidOptionsError'
export { InvalidTokenError, isInvalidTokenError } from './errors/InvalidTokenError'
export { isRefreshFailedError, RefreshFailedError } from './errors/RefreshFailedError'
export { isRetokenError, RetokenError } from './errors/RetokenError'
export { isSessionExpiredError, SessionExpiredError } from './errors/SessionExpiredError'
export type { AuthOptions } from './options'
export type { AllowedOrigins } from './originPolicy'
export type { TokenFormat } from './session'
export type { WebStorageLike } from './storage'
export { memoryStorage, webStorage } from './storage'
export type {
  AccessTokenClaims,
  Auth,
  AuthEvents,
  AuthState,
  AuthStatus,
  RefreshContext,
  RefreshErrorClassifier,
  RefreshReason,
  RefreshResult,
  ShouldRefreshPredicate,
  StorageSharing,
  StoredSession,
  TokenSet,
  TokenStorage,
} from './types'
export type { WakeSource } from './wakeSource'
export { browserWakeSource } from './wakeSource'
