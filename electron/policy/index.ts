// The policy room: the machine-wide policy IT deploys, signed with the organisation's Ed25519 key.
// Owns its format, its verification (no start without a valid signature), and the signing tools.
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
  machinePolicyPath,
  policyFileLocation,
  parseTrustAnchors,
  readTrustAnchors,
  readMachinePolicy,
  trustFileLocation,
} from './policy-files.js';
export { sessionPolicyOf, syncPolicyOf, administrationSafetyOf } from './room-policies.js';
export { policyMarkAfter, type AcceptedPolicyMark } from './policy-rollback.js';
