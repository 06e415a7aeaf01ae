// What a successful sign-in or refresh returns: a user token (10 min, bound to the device), a
// rotated refresh token (bound to the device, within the 12 h session), the account, and the
// offline-verifier data the workstation keeps to let the user sign in offline later (with the TOTP
// secret after a sign-in with a second factor, so the workstation can check the code offline).
import type { SqlDatabase } from '../storage/index.js';
import type { SessionResponse } from '../../shared/auth/index.js';
import type { HubTokens } from './hub-tokens.js';
import { issueRefreshToken } from './refresh-tokens.js';
import type { UserRecord } from './users.js';

export async function issueSession(
  db: SqlDatabase,
  tokens: HubTokens,
  user: UserRecord,
  deviceId: string,
  now: Date,
  family?: { familyId: string; expiresAt: number },
  /** The account's TOTP secret, handed over only at a sign-in that just passed its TOTP code. */
  totpSecret?: string,
): Promise<SessionResponse> {
  const access = await tokens.issueUserToken({ userId: user.userId, deviceId, credentialStamp: user.credentialStamp }, now);
  const refresh = await issueRefreshToken(db, { userId: user.userId, deviceId, credentialStamp: user.credentialStamp, ...family }, now);
  const account = { userId: user.userId, username: user.username, role: user.role, wards: [...user.wards] };
  return {
    accessToken: access.token,
    refreshToken: refresh.token,
    expiresIn: access.expiresIn,
    refreshExpiresIn: Math.max(1, Math.floor((refresh.grant.expiresAt - now.getTime()) / 1000)),
    user: account,
    offlineVerifier: {
      ...account,
      credentialStamp: user.credentialStamp,
      mfaRequired: user.mfaRequired,
      issuedAt: now.toISOString(),
      ...(totpSecret === undefined ? {} : { totpSecret }),
    },
  };
}
