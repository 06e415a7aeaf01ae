// `wardline policy keygen --out DIR`: the organisation's Ed25519 policy key pair.
// `wardline policy sign --key KEY --in DRAFT.json --out policy.json`: checks and signs a policy.
// `wardline policy verify --public-key KEY.pub|--trust wardline-trust.json [--file policy.json] [--json]`:
// verifies a policy as a workstation would (by default the machine-wide file) and shows its settings;
// with --data DIR also refuses it, as that workstation would, when it is older than the one accepted there.
import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  keyIdOf,
  machinePolicyPath,
  parseTrustAnchors,
  policyFileText,
  policyMarkAfter,
  signPolicy,
  verifyPolicyText,
  type TrustedKey,
  type WorkstationPolicy,
} from '../../policy/index.js';
import { openVault, vaultExists, type PolicyMark } from '../../vault/index.js';
import { CliError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { dataOption, stringValue, type CliCommand, type CliValues } from './command.js';
import { readJsonFile, readPrivateKey, readPublicKey, writeKeyPair, writeOutput } from './signing-files.js';
import { workstationFrom } from './workstation.js';

function required(values: CliValues, name: string, subcommand: string): string {
  const value = stringValue(values, name);
  if (value === undefined || value === '')
    throw new CliError('USAGE', `wardline policy ${subcommand} needs --${name} (try: wardline help)`);
  return value;
}

async function trustedKeys(values: CliValues): Promise<TrustedKey[]> {
  const publicKey = stringValue(values, 'public-key');
  const trust = stringValue(values, 'trust');
  if (publicKey !== undefined) return [await readPublicKey(publicKey)];
  if (trust !== undefined) return [...parseTrustAnchors(await readFile(trust, 'utf8')).policyKeys];
  throw new CliError('USAGE', 'wardline policy verify needs --public-key FILE or --trust wardline-trust.json (try: wardline help)');
}

function show(policy: WorkstationPolicy, file: string, io: CliIo): void {
  const minutes = (ms: number): string => `${ms / 60_000} min`;
  const hours = (ms: number): string => `${ms / 3_600_000} h`;
  io.out(`policy     ${file}: valid, signed by key ${policy.signedBy}, issued ${policy.issued}`);
  io.out(`hub        ${policy.hubUrl} (${policy.pins.length} pinned ${policy.pins.length === 1 ? 'key' : 'keys'})`);
  io.out(`ward       ${policy.ward}`);
  io.out(
    `sessions   idle lock ${minutes(policy.idleTimeoutMs)}, session limit ${hours(policy.sessionLimitMs)}, offline grace ${hours(policy.offlineGraceMs)}`,
  );
  io.out(
    `staleness  amber after ${minutes(policy.staleAmberMs)}, red after ${minutes(policy.staleRedMs)}${policy.defaulted.includes('staleness') ? ' (Wardline defaults: not set in the policy)' : ''}`,
  );
  io.out(
    `audit      acknowledged entries kept ${policy.auditRetentionMs / 86_400_000} days${policy.defaulted.includes('audit.retentionDays') ? ' (Wardline default: not set in the policy)' : ''}`,
  );
  io.out(
    `printing   ${policy.printingAllowed ? 'allowed' : 'not allowed'}; save as PDF ${policy.saveAsPdfAllowed ? 'allowed (printouts folder, removed by wipe)' : 'not allowed (print dialog only)'}`,
  );
  io.out(`updates    ${policy.updates.enabled ? `on, channel ${policy.updates.channel}, from ${policy.updates.url}` : 'off'}`);
}

/** The newest policy the workstation in --data accepted (null when none yet, or no vault there). */
async function acceptedHere(values: CliValues): Promise<PolicyMark | null> {
  const { dataDir, logger, custodian } = workstationFrom(values);
  if (!vaultExists(dataDir)) return null;
  const vault = await openVault({ dataDir, custodian, logger });
  try {
    return vault.policyMark.get();
  } finally {
    vault.close();
  }
}

export const policyCommand: CliCommand = {
  summary:
    'machine policy for IT: "keygen --out DIR", "sign --key K --in DRAFT --out FILE", "verify --public-key K [--file F] [--data DIR]"',
  subcommands: ['keygen', 'sign', 'verify'],
  options: {
    out: { type: 'string' },
    key: { type: 'string' },
    in: { type: 'string' },
    file: { type: 'string' },
    'public-key': { type: 'string' },
    trust: { type: 'string' },
    json: { type: 'boolean' },
    ...dataOption,
  },
  async run(values, io, subcommand) {
    if (subcommand === 'keygen') {
      const { pair, privateFile, publicFile } = await writeKeyPair(required(values, 'out', 'keygen'), 'wardline-policy');
      io.out(`Wrote the policy signing key ${privateFile} (keep it offline, never on a workstation) and its public key ${publicFile}.`);
      io.out(
        `Key id ${pair.keyId}. Package Wardline with the public key in wardline-trust.json (WARDLINE_POLICY_PUBLIC_KEYS) so workstations trust it.`,
      );
      return 0;
    }
    if (subcommand === 'sign') {
      const key = await readPrivateKey(required(values, 'key', 'sign'));
      const draftFile = required(values, 'in', 'sign');
      const out = required(values, 'out', 'sign');
      const draft = await readJsonFile(draftFile, 'the policy draft');
      // A file already signed can be re-signed: its "policy" member is the draft.
      const content =
        typeof draft === 'object' && draft !== null && 'wardlinePolicy' in draft && 'policy' in draft
          ? (draft as { policy: unknown }).policy
          : draft;
      const signed = signPolicy(content, key, keyIdOf(createPublicKey(key)));
      await writeOutput(out, policyFileText(signed), 'the signed policy');
      io.out(
        `Signed ${draftFile} with key ${signed.signature.keyId} into ${out}. Deploy it unchanged to ${machinePolicyPath()} (Windows: %ProgramData%\\Wardline\\policy.json; macOS: /Library/Application Support/Wardline/policy.json).`,
      );
      return 0;
    }
    const keys = await trustedKeys(values);
    const file = stringValue(values, 'file') ?? machinePolicyPath();
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new CliError('USAGE', `cannot read the policy ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    const policy = verifyPolicyText(text, keys, `The policy ${file}`);
    const accepted = stringValue(values, 'data') === undefined ? undefined : await acceptedHere(values);
    // Throws POLICY_ROLLBACK, as the workstation would refuse to start; records nothing.
    if (accepted !== undefined) policyMarkAfter(policy, accepted);
    if (values.json === true)
      io.out(JSON.stringify({ valid: true, file, policy, ...(accepted === undefined ? {} : { acceptedHere: accepted }) }));
    else {
      show(policy, file, io);
      if (accepted !== undefined)
        io.out(
          `workstation ${accepted === null ? 'has accepted no policy yet' : `accepted a policy issued ${accepted.issued}; this one is not older`}`,
        );
    }
    return 0;
  },
};
