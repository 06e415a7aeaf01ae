// For the release pipeline: `wardline update keygen --out DIR` (the release key pair),
// `wardline update manifest --version V --channel C --files A,B --out wardline-update.json
// [--valid-days N]` (SHA-512 and size of each installer, and an expiry: re-sign before it), `wardline update sign --key KEY --manifest FILE` (writes
// FILE.sig), and `wardline update verify --public-key KEY.pub --manifest FILE --current V
// --channel C` (the decision a workstation would take).
import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { keyIdOf } from '../../policy/index.js';
import {
  decideUpdate,
  DEFAULT_MANIFEST_VALIDITY_DAYS,
  manifestExpiry,
  manifestFileOf,
  MAX_MANIFEST_VALIDITY_DAYS,
  signUpdateManifest,
  updateManifestText,
} from '../../updates/index.js';
import { CliError } from '../cli-error.js';
import { stringValue, type CliCommand, type CliValues } from './command.js';
import { readPrivateKey, readPublicKey, writeKeyPair, writeOutput } from './signing-files.js';

function required(values: CliValues, name: string, subcommand: string): string {
  const value = stringValue(values, name);
  if (value === undefined || value === '')
    throw new CliError('USAGE', `wardline update ${subcommand} needs --${name} (try: wardline help)`);
  return value;
}

async function readBytes(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new CliError('USAGE', `cannot read ${what} ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

async function readSignature(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

/** --valid-days: whole days from 1 to the maximum a manifest may be valid. */
function validDays(values: CliValues): number {
  const raw = stringValue(values, 'valid-days');
  if (raw === undefined) return DEFAULT_MANIFEST_VALIDITY_DAYS;
  if (!/^\d{1,2}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_MANIFEST_VALIDITY_DAYS)
    throw new CliError('USAGE', `--valid-days must be a whole number of days from 1 to ${MAX_MANIFEST_VALIDITY_DAYS}`);
  return Number(raw);
}

export const updateCommand: CliCommand = {
  summary: 'signed update manifests for the release pipeline: "keygen", "manifest", "sign", "verify"',
  subcommands: ['keygen', 'manifest', 'sign', 'verify'],
  options: {
    out: { type: 'string' },
    version: { type: 'string' },
    channel: { type: 'string' },
    files: { type: 'string' },
    'release-date': { type: 'string' },
    'valid-days': { type: 'string' },
    key: { type: 'string' },
    manifest: { type: 'string' },
    'public-key': { type: 'string' },
    current: { type: 'string' },
  },
  async run(values, io, subcommand) {
    switch (subcommand) {
      case 'keygen': {
        const { pair, privateFile, publicFile } = await writeKeyPair(required(values, 'out', 'keygen'), 'wardline-release');
        io.out(
          `Wrote the release signing key ${privateFile} (keep it in the release pipeline's secret store) and its public key ${publicFile}.`,
        );
        io.out(`Key id ${pair.keyId}. Package Wardline with the public key in wardline-trust.json (WARDLINE_UPDATE_PUBLIC_KEYS).`);
        return 0;
      }
      case 'manifest': {
        const days = validDays(values);
        const installers = required(values, 'files', 'manifest')
          .split(',')
          .map((f) => f.trim())
          .filter((f) => f !== '');
        const files = await Promise.all(
          installers.map(async (file) => manifestFileOf(path.basename(file), await readBytes(file, 'the installer'))),
        );
        const releaseDate = stringValue(values, 'release-date') ?? new Date().toISOString();
        const text = updateManifestText({
          wardlineUpdate: 1,
          version: required(values, 'version', 'manifest'),
          channel: required(values, 'channel', 'manifest'),
          releaseDate,
          expires: manifestExpiry(releaseDate, days),
          files,
        });
        const out = required(values, 'out', 'manifest');
        await writeOutput(out, text, 'the update manifest');
        io.out(
          `Wrote ${out} listing ${files.length} installer${files.length === 1 ? '' : 's'}. Sign it with: wardline update sign --key KEY --manifest ${out}`,
        );
        return 0;
      }
      case 'sign': {
        const key = await readPrivateKey(required(values, 'key', 'sign'));
        const manifest = required(values, 'manifest', 'sign');
        const bytes = await readBytes(manifest, 'the update manifest');
        let draft: unknown;
        try {
          draft = JSON.parse(bytes.toString('utf8'));
        } catch {
          throw new CliError('USAGE', `${manifest} is not valid JSON; write it with: wardline update manifest`);
        }
        updateManifestText(draft as Parameters<typeof updateManifestText>[0]);
        const keyId = keyIdOf(createPublicKey(key));
        await writeOutput(`${manifest}.sig`, signUpdateManifest(bytes, key, keyId), 'the signature');
        io.out(`Signed ${manifest} with key ${keyId} into ${manifest}.sig. Publish both beside latest.yml; change neither afterwards.`);
        return 0;
      }
      default: {
        const trusted = await readPublicKey(required(values, 'public-key', 'verify'));
        const manifest = required(values, 'manifest', 'verify');
        const decision = decideUpdate({
          // The decision uses the channel only; where the manifest came from does not matter here.
          policy: { enabled: true, channel: required(values, 'channel', 'verify'), url: 'https://localhost/' },
          currentVersion: required(values, 'current', 'verify'),
          manifestBytes: await readBytes(manifest, 'the update manifest'),
          signatureText: await readSignature(`${manifest}.sig`),
          trustedKeys: [trusted],
          now: new Date(),
        });
        io.out(
          decision.action === 'download'
            ? `Valid: a workstation on ${stringValue(values, 'current')} would take ${decision.version} (${decision.files.length} installer(s)).`
            : `Valid: a workstation on ${stringValue(values, 'current')} is up to date.`,
        );
        return 0;
      }
    }
  },
};
