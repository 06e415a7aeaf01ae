// Refusing a rollback of the machine policy: a validly signed policy older than the newest one this
// workstation has accepted (an old file put back, with a longer idle lock or another hub) is refused.
// The mark itself is kept by the caller (in the vault); this decides, and says what to record.
import { PolicyError } from './policy-error.js';
import type { WorkstationPolicy } from './policy-document.js';

/** The newest policy accepted so far: its `issued` time and the key that signed it. */
export interface AcceptedPolicyMark {
  readonly issued: string;
  readonly signedBy: string;
}

/**
 * The mark to record once the workstation has started under `policy` (null when the recorded one
 * stays). Throws PolicyError POLICY_ROLLBACK when `policy` was issued before the accepted one.
 * A policy issued at the same instant is accepted (the same policy, or the same one re-signed).
 */
export function policyMarkAfter(
  policy: Pick<WorkstationPolicy, 'issued' | 'signedBy'>,
  accepted: AcceptedPolicyMark | null,
): AcceptedPolicyMark | null {
  const next = { issued: policy.issued, signedBy: policy.signedBy };
  if (accepted === null) return next;
  const order = Date.parse(policy.issued) - Date.parse(accepted.issued);
  if (Number.isNaN(order) || order < 0) {
    throw new PolicyError(
      'POLICY_ROLLBACK',
      `The machine policy was issued ${policy.issued}, before the policy this workstation already accepted (issued ${accepted.issued}); ` +
        'an older policy may have been put back, so Wardline will not start. Ask IT to deploy the current policy (or a newer one, signed with a later "issued").',
    );
  }
  if (order > 0 || policy.signedBy !== accepted.signedBy) return next;
  return null;
}
