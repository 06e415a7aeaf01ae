// What a refusal from the hub's /auth/login means on this workstation: the audit reason, the
// error the user sees, and whether the local offline verifier must go.
import type { CredentialRevocation, SignInFailure } from './session-events.js';
import { SessionError, type SessionErrorCode } from './session-error.js';

export interface HubRefusal {
  readonly failure: SignInFailure;
  readonly error: SessionError;
  /** When set, the account's offline verifier here is revoked (and its sessions end). */
  readonly revoke: CredentialRevocation | null;
}

const KNOWN: Record<string, { failure: SignInFailure; code: SessionErrorCode; message: string; revoke: CredentialRevocation | null }> = {
  INVALID_CREDENTIALS: { failure: 'bad-credentials', code: 'BAD_CREDENTIALS', message: 'The username or password is wrong.', revoke: null },
  MFA_REQUIRED: {
    failure: 'totp-required',
    code: 'TOTP_REQUIRED',
    message: 'Enter the 6-digit code from your authenticator app.',
    revoke: null,
  },
  MFA_INVALID: {
    failure: 'totp-invalid',
    code: 'TOTP_INVALID',
    message: 'The 6-digit code is wrong or was already used. Enter the code your authenticator app shows now.',
    revoke: null,
  },
  ACCOUNT_LOCKED: {
    failure: 'account-locked',
    code: 'ACCOUNT_LOCKED',
    message: 'This account is locked after too many failed sign-ins. Wait and try again, or ask IT to reset the password.',
    revoke: 'account-locked',
  },
  ACCOUNT_DISABLED: {
    failure: 'account-disabled',
    code: 'ACCOUNT_DISABLED',
    message: 'This account is disabled. Ask IT if you should have access.',
    revoke: 'account-disabled',
  },
  WARD_NOT_ASSIGNED: {
    failure: 'ward-not-assigned',
    code: 'WARD_NOT_ASSIGNED',
    message: 'Your account is not assigned to the ward of this workstation. Ask IT to add the ward to your account.',
    revoke: 'removed-from-ward',
  },
};

/** Maps the hub's refusal code; the hub's own message is used (shortened) only for a code this workstation does not know, e.g. lock duration. */
export function hubRefusal(code: string, hubMessage: string): HubRefusal {
  const known = KNOWN[code];
  if (known !== undefined) {
    const message = code === 'ACCOUNT_LOCKED' && hubMessage.trim() !== '' ? shorten(hubMessage) : known.message;
    return { failure: known.failure, error: new SessionError(known.code, message), revoke: known.revoke };
  }
  const message = hubMessage.trim() === '' ? 'The hub refused the sign-in. Ask IT to check the account.' : shorten(hubMessage);
  return { failure: 'hub-refused', error: new SessionError('HUB_REFUSED', message), revoke: null };
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 297)}...` : oneLine;
}
