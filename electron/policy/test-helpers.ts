// Test support for the policy room and cross-room tests: a complete, valid policy draft, and an
// organisation key pair made for the test.
import { randomBytes } from 'node:crypto';
import { generateSigningKeyPair, signingKeyFromPem, trustedKeyFromPem, type SigningKeyPair, type TrustedKey } from './ed25519-keys.js';
import { policyFileText, signPolicy } from './signed-policy.js';

export interface TestOrganisation {
  readonly pair: SigningKeyPair;
  readonly trusted: TrustedKey;
  /** policy.json's text for `draft`, signed with this organisation's key. */
  sign(draft: unknown): string;
}

export function testOrganisation(): TestOrganisation {
  const pair = generateSigningKeyPair();
  const privateKey = signingKeyFromPem(pair.privateKeyPem);
  return {
    pair,
    trusted: trustedKeyFromPem(pair.publicKeyPem),
    sign: (draft) => policyFileText(signPolicy(draft, privateKey, pair.keyId)),
  };
}

export function randomPin(): string {
  return randomBytes(32).toString('base64');
}

/** Every field a ward workstation's policy has. */
export function examplePolicyDraft(): Record<string, unknown> {
  return {
    issued: '2025-03-01T09:00:00Z',
    description: 'Ward 7 workstations',
    hub: { url: 'https://hub.hospital.example', pins: [randomPin(), randomPin()] },
    ward: 'ward-7',
    session: { idleTimeoutMinutes: 5, sessionLimitHours: 12, offlineGraceHours: 72, maxLockedSessions: 4, breakTheGlassMinutes: 20 },
    staleness: { amberMinutes: 15, redMinutes: 60 },
    cache: { daysBeforeAdmission: 30 },
    audit: { retentionDays: 90 },
    sync: { stoppedAfterMinutes: 5 },
    medication: { administrationWindowMinutes: 60 },
    printing: { allowed: true, marHoursAhead: 12 },
    updates: { enabled: true, channel: 'stable', url: 'https://updates.hospital.example/wardline/' },
  };
}
