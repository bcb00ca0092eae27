export { createAuthServer, demoUser } from './createAuthServer'
export { REFRESH_COOKIE } from './handlers/authRoutes'
export type { SessionPersistence } from './sessions'
export { ACCESS_TOKEN_TYPE, REFRESH_TOKEN_TYPE } from './tokens'
export type {
  AuditEntry,
  AuthServer,
  AuthServerCounters,
  AuthServerOptions,
  FaultControls,
  IssuedSession,
  MockUser,
  PublicUser,
  RefreshFault,
} from './types'
