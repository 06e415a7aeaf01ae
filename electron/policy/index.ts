// The policy room: the machine-wide policy IT deploys, signed with the organisation's Ed25519 key.
// Owns its format, its verification (no start without a valid signature), the signing tools, and
// where IT stages the policy and the one-time enrollment token on each platform.
export { PolicyError } from './policy-error.js';
export {
  generateSigningKeyPair,
  trustedKeyFromPem,
  signingKeyFromPem,
  keyIdOf,
  signDetached,
  verifyDetached,
  type SigningKeyPair,
  type TrustedKey,
} from './ed25519-keys.js';
export { policyContentSchema, updateChannelSchema, describeIssues, type UpdatePolicy, type WorkstationPolicy } from './policy-document.js';
export { signPolicy, verifyPolicyText, policyFileText } from './signed-policy.js';
export {
  machineFolder,
  machinePolicyPath,
  policyFileLocation,
  parseTrustAnchors,
  readTrustAnchors,
  readMachinePolicy,
  trustFileLocation,
} from './policy-files.js';
export {
  enrollmentTokenLocation,
  machineEnrollmentTokenPath,
  readEnrollmentToken,
  removeEnrollmentToken,
} from './enrollment-token-file.js';
export { sessionPolicyOf, syncPolicyOf, administrationSafetyOf } from './room-policies.js';
export { policyMarkAfter, type AcceptedPolicyMark } from './policy-rollback.js';
