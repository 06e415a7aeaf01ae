// Online sign-in against the hub. On success the workstation keeps an argon2id verifier of this
// password with the user's role, wards and credential stamp (and an MFA account's TOTP secret),
// for offline sign-in later, and the
// session holds the hub's tokens. When the hub cannot be reached, offline sign-in takes over if the
// policy allows it.
import { sessionResponseSchema, type SessionResponse } from '../../shared/auth/index.js';
import { createVerifier } from './credential-hashing.js';
import { hubRefusal } from './hub-refusal.js';
import { hubTokensOf } from './hub-tokens.js';
import { isFreshTotpStep, matchedTotpStep } from './offline-second-factor.js';
import { offlineSignIn } from './offline-sign-in.js';
import type { SessionCore, SignInResult } from './session-core.js';
import { SessionError } from './session-error.js';
import { normalizeUsername, type SessionUser } from './session-user.js';

export async function onlineSignIn(core: SessionCore, username: string, password: string, totp?: string): Promise<SignInResult> {
  core.assertOpen();
  const name = normalizeUsername(username);
  const hub = core.hubLogin;
  let result;
  try {
    if (hub === undefined || hub === null) throw new Error('no hub configured');
    result = await hub.login(name, password, totp);
  } catch (cause) {
    core.logger.warn({ event: 'session.hub_unreachable', error: cause instanceof Error ? cause.name : 'unknown' }, 'hub login unreachable');
    return signInAfterHubUnreachable(core, name, password, totp);
  }
  core.assertOpen();
  if (result.outcome === 'refused') {
    const known = await core.credentials.findByUsername(name);
    const refusal = hubRefusal(result.code, result.message);
    core.failed('online', refusal.failure, known?.userId ?? null, name);
    if (refusal.revoke !== null && known !== null) await core.revoke(known.userId, refusal.revoke);
    throw refusal.error;
  }
  const parsed = sessionResponseSchema.safeParse(result.session);
  if (!parsed.success || parsed.data.offlineVerifier.userId !== parsed.data.user.userId) {
    const known = await core.credentials.findByUsername(name);
    core.failed('online', 'hub-answer-invalid', known?.userId ?? null, name);
    throw new SessionError(
      'HUB_ANSWER_INVALID',
      'The hub sent a sign-in answer this workstation cannot use. Ask IT to check that the hub and the workstation versions match.',
    );
  }
  return completeOnlineSignIn(core, parsed.data, password, totp);
}

async function signInAfterHubUnreachable(core: SessionCore, name: string, password: string, totp?: string): Promise<SignInResult> {
  if (!core.policy.allowOfflineSignIn) {
    const known = await core.credentials.findByUsername(name);
    core.failed('online', 'hub-unreachable', known?.userId ?? null, name);
    throw new SessionError(
      'HUB_UNREACHABLE',
      "The hub cannot be reached, and this workstation's policy does not allow offline sign-in. Check the network, or ask IT.",
    );
  }
  try {
    return await offlineSignIn(core, name, password, true, totp);
  } catch (error) {
    if (error instanceof SessionError && (error.code === 'OFFLINE_UNKNOWN_USER' || error.code === 'OFFLINE_EXPIRED')) {
      throw new SessionError(error.code, `The hub cannot be reached. ${error.message}`);
    }
    throw error;
  }
}

async function completeOnlineSignIn(
  core: SessionCore,
  session: SessionResponse,
  password: string,
  totp: string | undefined,
): Promise<SignInResult> {
  const verifierInfo = session.offlineVerifier;
  const stored: SessionUser = {
    userId: verifierInfo.userId,
    username: normalizeUsername(verifierInfo.username),
    role: verifierInfo.role,
    wards: verifierInfo.wards,
  };
  const passwordVerifier = await createVerifier(password, core.hashing.password);
  const now = core.clock.now();
  let offerPin = false;
  await core.userLocks.run(stored.userId, async () => {
    const previous = await core.credentials.get(stored.userId);
    // A new credential stamp means the password changed or the account was re-enabled: the old PIN goes too.
    const keepPin = previous !== null && previous.credentialStamp === verifierInfo.credentialStamp;
    offerPin = previous === null || (previous.pinVerifier !== null && !keepPin);
    // The hub hands the TOTP secret over with a sign-in that passed its code: kept (in the
    // encrypted vault) for an offline second factor; kept from before while the stamp holds.
    const totpSecret = verifierInfo.mfaRequired ? (verifierInfo.totpSecret ?? (keepPin ? previous.totpSecret : null)) : null;
    // The code typed here is spent: its step is remembered, so it cannot sign in offline here afterwards.
    const typedStep = totpSecret !== null && totp !== undefined ? matchedTotpStep(totpSecret, totp, now) : null;
    const previousStep = totpSecret !== null ? (previous?.totpLastStep ?? null) : null;
    const totpLastStep = typedStep !== null && isFreshTotpStep(previousStep, typedStep) ? typedStep : previousStep;
    await core.credentials.put({
      ...stored,
      credentialStamp: verifierInfo.credentialStamp,
      mfaRequired: verifierInfo.mfaRequired,
      passwordVerifier,
      verifiedAt: now,
      pinVerifier: keepPin ? previous.pinVerifier : null,
      pinSetAt: keepPin ? previous.pinSetAt : null,
      pinFailures: 0,
      totpSecret,
      totpLastStep,
    });
  });
  core.assertOpen();
  const user: SessionUser = {
    userId: session.user.userId,
    username: normalizeUsername(session.user.username),
    role: session.user.role,
    wards: session.user.wards,
  };
  const result = core.completeSignIn(user, 'online', false, hubTokensOf(session, now));
  return offerPin ? { ...result, offerPin } : result;
}
