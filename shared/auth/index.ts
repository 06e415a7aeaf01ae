// Device and user authentication as both the workstation and the hub see it: device key pairs,
// client assertions, audit checkpoints, wire schemas. Runtime-neutral (jose and zod only).
export * from './wire-constants.js';
export * from './schemas.js';
export { generateDeviceKeyPair, exportDevicePrivateKey, importDevicePrivateKey, publicJwkOf, type DeviceKeyPair } from './device-keys.js';
export { createClientAssertion, tokenRequestBody, type ClientAssertionInput } from './client-assertion.js';
export { createAuditCheckpoint } from './audit-checkpoint.js';
export { hubCurrentVersion, hubErrorCode, type HubCurrentVersion } from './hub-error-code.js';
export { TOTP_CODE_PATTERN, TOTP_DIGITS, TOTP_STEP_SECONDS, TOTP_WINDOW_STEPS } from './totp-rule.js';
