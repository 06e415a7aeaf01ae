// The policy room: the machine-wide policy IT deploys, signed with the organisation's Ed25519 key.
// Owns its format, its verification (no start without a valid signature), and the signing tools.
export { PolicyError, isPolicyError, type PolicyErrorCode } from './policy-error.js';
export {
  generateSigningKeyPair,
  trustedKeyFromPem,
  signingKeyFromPem,
  keyIdOf,
  signDetached,
  verifyDetached,
  type SignaturePurpose,
  type SigningKeyPair,
  type TrustedKey,
} from './ed25519-keys.js';
export {
  policyContentSchema,
  updateChannelSchema,
  workstationPolicyOf,
  describeIssues,
  type PolicyContent,
  type UpdatePolicy,
  type WorkstationPolicy,
} from './policy-document.js';
export { signPolicy, verifyPolicyText, policyFileText, POLICY_FORMAT, type SignedPolicyFile } from './signed-policy.js';
export {
  machinePolicyPath,
  policyFileLocation,
  parseTrustAnchors,
  readTrustAnchors,
  readMachinePolicy,
  trustFileLocation,
  POLICY_FILE_NAME,
  TRUST_FILE_NAME,
  type TrustAnchors,
} from './policy-files.js';
export { sessionPolicyOf, syncPolicyOf, administrationSafetyOf } from './room-policies.js';
export { policyMarkAfter, type AcceptedPolicyMark } from './policy-rollback.js';
