// The demo's machine policy, made the way IT makes one: a fresh organisation key pair, the policy
// for the demo hub (its URL, its certificate pin, its ward) signed with it, written to policy.json
// with the public key beside it, and read back through the same verification a workstation runs.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  generateSigningKeyPair,
  policyFileText,
  signingKeyFromPem,
  signPolicy,
  trustedKeyFromPem,
  verifyPolicyText,
  type WorkstationPolicy,
} from '../../policy/index.js';

export interface DemoPolicyOptions {
  readonly folder: string;
  readonly hubUrl: string;
  readonly pin: string;
  readonly ward: string;
  readonly idleTimeoutMinutes: number;
}

/** Signs and writes `<folder>/policy.json` and `<folder>/wardline-policy.pub`; returns the verified policy. */
export async function writeDemoPolicy(options: DemoPolicyOptions): Promise<{ policy: WorkstationPolicy; file: string }> {
  const pair = generateSigningKeyPair();
  const draft = {
    issued: new Date().toISOString(),
    description: 'Wardline demo (evaluation mode, synthetic patients only)',
    hub: { url: options.hubUrl, pins: [options.pin] },
    ward: options.ward,
    session: { idleTimeoutMinutes: options.idleTimeoutMinutes, sessionLimitHours: 12, offlineGraceHours: 72 },
    printing: { allowed: true },
    updates: { enabled: false },
  };
  const text = policyFileText(signPolicy(draft, signingKeyFromPem(pair.privateKeyPem), pair.keyId));
  const file = join(options.folder, 'policy.json');
  await writeFile(file, text, { mode: 0o644 });
  await writeFile(join(options.folder, 'wardline-policy.pub'), pair.publicKeyPem, { mode: 0o644 });
  return { policy: verifyPolicyText(text, [trustedKeyFromPem(pair.publicKeyPem)], 'The demo policy'), file };
}
