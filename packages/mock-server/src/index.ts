export { createAuthServer, demoUser } from './createAuthServer'
export type { DpopServerOptions } from './dpop/dpopServer'
export {
  accessTokenHash,
  htuOf,
  type ProofExpectations,
  type ProofOutcome,
  verifyDpopProof,
} from './dpop/verifyProof'
export { REFRESH_COOKIE } from './handlers/authRoutes'
export type { SessionPersistence } from './sessions'
export { ACCESS_TOKEN_TYPE, REFRESH_TOKEN_TYPE } from './tokens'
export type {
  AuditEntry,
  AuthServer,
  AuthServerCounters,
  AuthServerOptions,
  DpopModeOptions,
  FaultControls,
  IssuedSession,
  MockUser,
  PublicUser,
  RefreshFault,
} from './types'
