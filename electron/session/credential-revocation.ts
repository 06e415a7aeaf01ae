// Which offline verifiers the hub's credential stamps withdraw: a verifier whose stamp changed
// (password changed), whose account is disabled or locked now, or whose user is no longer on this ward.
import { credentialStampsResponseSchema, type CredentialStampsResponse } from '../../shared/auth/index.js';

type CredentialStamp = CredentialStampsResponse['users'][number];
import type { StoredCredentials } from './credential-store.js';
import { SessionError } from './session-error.js';
import type { CredentialRevocation } from './session-events.js';

export interface RevokedCredential {
  readonly userId: string;
  readonly reason: CredentialRevocation;
}

/** The stamps of this ward's users, by user id (throws when the answer is unreadable or another ward's). */
export function readCredentialStamps(response: CredentialStampsResponse, workstationWard: string): ReadonlyMap<string, CredentialStamp> {
  const parsed = credentialStampsResponseSchema.safeParse(response);
  if (!parsed.success)
    throw new SessionError(
      'HUB_ANSWER_INVALID',
      'The hub sent credential stamps this workstation cannot read. Ask IT to check that the hub and the workstation versions match.',
    );
  if (parsed.data.ward !== workstationWard) {
    throw new SessionError(
      'STAMPS_WRONG_WARD',
      "The hub sent credential stamps for another ward. Ask IT to check this workstation's enrollment.",
    );
  }
  return new Map(parsed.data.users.map((u) => [u.userId, u]));
}

/** Why the stamps withdraw this verifier, or null when it stays. */
export function revocationOf(record: StoredCredentials, byUser: ReadonlyMap<string, CredentialStamp>): CredentialRevocation | null {
  const entry = byUser.get(record.userId);
  if (entry === undefined) return 'removed-from-ward';
  if (entry.disabled) return 'account-disabled';
  if (entry.locked) return 'account-locked';
  if (entry.credentialStamp !== record.credentialStamp) return 'credentials-changed';
  return null;
}
