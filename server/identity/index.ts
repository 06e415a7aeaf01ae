// The hub's identity room: staff accounts (argon2id, TOTP), user sign-in and refresh, device
// enrollment and SMART Backend Services tokens, revocation, rate limits, the authenticate preHandler,
// each device's contact with the hub (when it could have learned what the hub learned).
import './fastify-augmentation.js';
export { registerIdentity, type IdentityDeps } from './register-identity.js';
export { identityMigrations } from './identity-migrations.js';
export {
  addUser,
  setPassword,
  disableUser,
  enableUser,
  changeAccount,
  findUserByUsername,
  findUserById,
  usernamesOf,
  normalizeUsername,
  type NewUser,
  type AddedUser,
  type AccountChange,
  type ChangedAccount,
} from './users.js';
export { createEnrollmentToken, DEFAULT_ENROLLMENT_TTL_MINUTES } from './enrollment.js';
export { revokeDevice, listDevices, devicePublicKey, deviceStatus, type DeviceRecord } from './devices.js';
export { IdentityError } from './identity-error.js';
export { operationOutcome, sendOutcome, type OperationOutcome } from './operation-outcome.js';
export type { AuthenticatePreHandler } from './fastify-augmentation.js';
export type { Principal, DevicePrincipal, UserPrincipal, StaffRole } from './principal.js';
export type { RateLimitOptions } from './rate-limiter.js';
export { accountStandingAt, type AccountStanding } from './account-history.js';
export { deviceLearnedAt, DEVICE_CONTACT_GAP_MINUTES } from './device-contact.js';
export { recordSignIn, type SignInRecord } from './sign-in-log.js';
export { purgeOldSignIns, DEFAULT_SIGN_IN_RETENTION_DAYS, MAX_SIGN_IN_RETENTION_DAYS, type SignInRetention } from './sign-in-retention.js';
export { DEVICE_SCOPES_SUPPORTED, type GrantedScope } from './token-scope.js';
export { currentTotpCode } from './totp.js';
export { MAX_FAILED_LOGINS, LOCKOUT_MINUTES } from './login.js';
export { rotateSigningKey } from './hub-token-keys.js';
export { rewrapProtectedSecrets, sealLegacySecrets } from './protected-secrets.js';
