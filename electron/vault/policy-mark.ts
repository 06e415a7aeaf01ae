// The policy high-water mark: when the newest machine policy this workstation accepted was issued,
// and which key signed it. Kept in the encrypted vault (vault_meta), so putting back an older policy
// file cannot also put back an older mark.
import type { VaultMeta } from './vault-meta.js';

export interface PolicyMark {
  /** The accepted policy's `issued` (ISO 8601, as it was signed). */
  readonly issued: string;
  /** The key id of the organisation key that signed it. */
  readonly signedBy: string;
}

export interface PolicyMarkStore {
  /** The mark, or null before the first policy was accepted here. */
  get(): PolicyMark | null;
  /** Replaces the mark (durably). The caller decides whether it moves forward. */
  set(mark: PolicyMark): void;
}

const POLICY_MARK_KEY = 'accepted_policy';

function markOf(text: string): PolicyMark | null {
  try {
    const value = JSON.parse(text) as Partial<PolicyMark>;
    return typeof value.issued === 'string' && typeof value.signedBy === 'string'
      ? { issued: value.issued, signedBy: value.signedBy }
      : null;
  } catch {
    return null;
  }
}

export function createPolicyMarkStore(meta: VaultMeta, durably: (write: () => void) => void): PolicyMarkStore {
  return {
    get: () => {
      const text = meta.get(POLICY_MARK_KEY);
      return text === null ? null : markOf(text);
    },
    set: (mark) => durably(() => meta.set(POLICY_MARK_KEY, JSON.stringify({ issued: mark.issued, signedBy: mark.signedBy }))),
  };
}
