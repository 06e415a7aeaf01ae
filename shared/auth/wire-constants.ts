// Names both ends of the hub's identity and audit protocol agree on: header names, URNs,
// extension URLs and the stable error codes the hub puts in its OperationOutcomes.

/** The SMART Backend Services client assertion type (RFC 7523). */
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Algorithm of a workstation's own key pair (assertions and audit checkpoints). */
export const DEVICE_KEY_ALG = 'ES384';

/** Longest lifetime the hub accepts for a client assertion (exp − now), in seconds. */
export const MAX_CLIENT_ASSERTION_LIFETIME_SECONDS = 300;

/** The request header that carries a user token next to the device bearer token. */
export const USER_TOKEN_HEADER = 'X-Wardline-User';

/** The request header that carries a break-the-glass reason for a read outside the device's ward. */
export const BTG_REASON_HEADER = 'X-Wardline-Btg-Reason';

/** `typ` header of a device-signed audit chain checkpoint. */
export const AUDIT_CHECKPOINT_TYPE = 'wardline-audit-checkpoint+jwt';

/** The hash-chain extension every uploaded AuditEvent carries (sub-extensions sequence, previousHash, hash). */
export const AUDIT_CHAIN_EXTENSION_URL = 'https://wardline.example/fhir/StructureDefinition/audit-chain';

/** Extension on a batch-response Bundle: valueInteger = highest contiguous audit sequence the hub holds. */
export const AUDIT_CHAIN_STATUS_EXTENSION_URL = 'https://wardline.example/fhir/StructureDefinition/audit-chain-status';

/** previousHash of the first event of a chain. */
export const GENESIS_PREVIOUS_HASH = '0'.repeat(64);

/**
 * Extension on the issue of a 412 VERSION_CONFLICT: valueReference `Type/id/_history/n`, the version
 * the hub holds now of the resource the request named. Given only once the hub has judged that the
 * caller may change that resource (its ward's patient, or one who left it within the documentation
 * window): a version number, never content. A workstation whose device token no longer reads the
 * chart (the patient left the ward) settles its conflict on that version.
 */
export const HUB_CURRENT_VERSION_EXTENSION_URL = 'https://wardline.example/fhir/StructureDefinition/current-version';

/** System of the `issue.details.coding` the hub puts on identity and audit errors. */
export const HUB_ERROR_CODE_SYSTEM = 'https://wardline.example/fhir/CodeSystem/hub-error';

/** Stable codes a workstation can branch on (found in `issue[0].details.coding[0].code`). */
export const IDENTITY_ERROR_CODES = [
  'DEVICE_TOKEN_MISSING',
  'DEVICE_TOKEN_INVALID',
  'DEVICE_TOKEN_EXPIRED',
  'DEVICE_REVOKED',
  'DEVICE_UNKNOWN',
  'CLIENT_ASSERTION_INVALID',
  'USER_TOKEN_INVALID',
  'USER_TOKEN_EXPIRED',
  'USER_TOKEN_WRONG_DEVICE',
  'USER_CREDENTIALS_CHANGED',
  'INVALID_CREDENTIALS',
  'MFA_REQUIRED',
  'MFA_INVALID',
  'ACCOUNT_LOCKED',
  'ACCOUNT_DISABLED',
  'WARD_NOT_ASSIGNED',
  'REFRESH_TOKEN_INVALID',
  'ENROLLMENT_TOKEN_INVALID',
  'PUBLIC_KEY_INVALID',
  'PRIVATE_KEY_SENT',
  'INVALID_REQUEST',
  'RATE_LIMITED',
  'USERNAME_TAKEN',
  'USER_UNKNOWN',
  'WARD_INVALID',
  'PASSWORD_TOO_SHORT',
] as const;
export type IdentityErrorCode = (typeof IDENTITY_ERROR_CODES)[number];
