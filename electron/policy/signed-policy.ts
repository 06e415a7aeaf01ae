// policy.json: the policy and the organisation's Ed25519 signature over its canonical JSON
// (RFC 8785), in one file IT can read, diff and deploy. Verification order: the file is JSON, it
// carries a signature, the signing key is one this installation trusts, the signature holds over
// the policy exactly as written, and only then are the settings checked.
import { z } from 'zod';
import { canonicalJson } from '../../shared/json/index.js';
import { signDetached, verifyDetached, type TrustedKey } from './ed25519-keys.js';
import type { KeyObject } from 'node:crypto';
import { describeIssues, policyContentSchema, workstationPolicyOf, type PolicyContent, type WorkstationPolicy } from './policy-document.js';
import { PolicyError } from './policy-error.js';

export const POLICY_FORMAT = 1;

const envelopeSchema = z.object({
  wardlinePolicy: z.literal(POLICY_FORMAT),
  policy: z.record(z.string(), z.unknown()),
  signature: z.object({ algorithm: z.literal('Ed25519'), keyId: z.string().min(1).max(64), value: z.string() }).optional(),
});

export interface SignedPolicyFile {
  readonly wardlinePolicy: typeof POLICY_FORMAT;
  readonly policy: PolicyContent;
  readonly signature: { readonly algorithm: 'Ed25519'; readonly keyId: string; readonly value: string };
}

/** Checks `draft` (the policy content) and signs it; a policy that would not load is never signed. */
export function signPolicy(draft: unknown, privateKey: KeyObject, keyId: string): SignedPolicyFile {
  const parsed = policyContentSchema.safeParse(draft);
  if (!parsed.success) {
    throw new PolicyError('POLICY_INVALID', `The policy was not signed because it is not valid: ${describeIssues(parsed.error.issues)}.`);
  }
  // The signature covers the draft as given (what will be written), not zod's copy of it.
  const value = signDetached('wardline-policy/1', canonicalJson(draft), privateKey);
  return { wardlinePolicy: POLICY_FORMAT, policy: draft as PolicyContent, signature: { algorithm: 'Ed25519', keyId, value } };
}

/** The file's text as `wardline policy sign` writes it. */
export function policyFileText(file: SignedPolicyFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * Verifies policy.json's text against the keys this installation trusts and returns the policy.
 * Throws PolicyError: POLICY_UNREADABLE, POLICY_NOT_SIGNED, POLICY_UNTRUSTED_KEY,
 * POLICY_SIGNATURE_INVALID, POLICY_INVALID or NO_TRUSTED_KEYS.
 */
export function verifyPolicyText(text: string, trustedKeys: readonly TrustedKey[], where = 'the machine policy'): WorkstationPolicy {
  if (trustedKeys.length === 0) {
    throw new PolicyError(
      'NO_TRUSTED_KEYS',
      "This Wardline installation trusts no policy signing key, so no policy can be accepted. Ask IT to reinstall Wardline with the organisation's policy key.",
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PolicyError(
      'POLICY_UNREADABLE',
      `${where} is not valid JSON. Ask IT to deploy the file written by \`wardline policy sign\` unchanged.`,
      { cause: error },
    );
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) {
    throw new PolicyError(
      'POLICY_UNREADABLE',
      `${where} is not a Wardline policy file (${describeIssues(envelope.error.issues)}). Ask IT to deploy the file written by \`wardline policy sign\`.`,
    );
  }
  const { policy, signature } = envelope.data;
  if (signature === undefined) {
    throw new PolicyError(
      'POLICY_NOT_SIGNED',
      `${where} is not signed, so Wardline will not start. Ask IT to sign it with \`wardline policy sign\` and deploy it again.`,
    );
  }
  const key = trustedKeys.find((k) => k.keyId === signature.keyId);
  if (key === undefined) {
    throw new PolicyError(
      'POLICY_UNTRUSTED_KEY',
      `${where} is signed with a key this installation does not trust (key id ${signature.keyId.replace(/[^A-Za-z0-9_-]/g, '?')}). Ask IT to sign it with the organisation's policy key.`,
    );
  }
  let canonical: string;
  try {
    canonical = canonicalJson(policy);
  } catch (error) {
    throw new PolicyError(
      'POLICY_UNREADABLE',
      `${where} holds values that are not plain JSON. Ask IT to deploy the file written by \`wardline policy sign\`.`,
      { cause: error },
    );
  }
  if (!verifyDetached('wardline-policy/1', canonical, signature.value, key.key)) {
    throw new PolicyError(
      'POLICY_SIGNATURE_INVALID',
      `${where} has been changed since it was signed (or its signature is damaged), so Wardline will not start. Ask IT to deploy the signed file again.`,
    );
  }
  const content = policyContentSchema.safeParse(policy);
  if (!content.success) {
    throw new PolicyError(
      'POLICY_INVALID',
      `${where} is signed but not valid: ${describeIssues(content.error.issues)}. Ask IT to correct and re-sign it.`,
    );
  }
  return workstationPolicyOf(content.data, key.keyId);
}
