// `wardline policy` and `wardline update` as IT and the release pipeline use them: real key files,
// real policy and manifest files, the real CLI entry (in process, and once as a real process).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../electron/cli/index.js';
import { examplePolicyDraft } from '../../electron/policy/test-helpers.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'wardline.js');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wardline-policy-cli-'));
  dirs.push(dir);
  return dir;
}

async function wardline(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line) };
  const code = await runCli(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('wardline policy', () => {
  it('makes a key pair, signs a draft, and verifies the signed file as a workstation would', async () => {
    const dir = freshDir();
    const keygen = await wardline(['policy', 'keygen', '--out', dir]);
    expect(keygen).toMatchObject({ code: 0, err: '' });
    expect(statSync(join(dir, 'wardline-policy.key')).mode & 0o777).toBe(0o600);
    writeFileSync(join(dir, 'draft.json'), JSON.stringify(examplePolicyDraft(), null, 2));
    const sign = await wardline([
      'policy',
      'sign',
      '--key',
      join(dir, 'wardline-policy.key'),
      '--in',
      join(dir, 'draft.json'),
      '--out',
      join(dir, 'policy.json'),
    ]);
    expect(sign).toMatchObject({ code: 0, err: '' });
    const verify = await wardline([
      'policy',
      'verify',
      '--public-key',
      join(dir, 'wardline-policy.pub'),
      '--file',
      join(dir, 'policy.json'),
    ]);
    expect(verify.code).toBe(0);
    expect(verify.out).toContain('valid, signed by key');
    expect(verify.out).toContain('idle lock 5 min, session limit 12 h, offline grace 72 h');
    expect(verify.out).toContain('updates    on, channel stable');
    const json = await wardline([
      'policy',
      'verify',
      '--public-key',
      join(dir, 'wardline-policy.pub'),
      '--file',
      join(dir, 'policy.json'),
      '--json',
    ]);
    expect(JSON.parse(json.out)).toMatchObject({ valid: true, policy: { ward: 'ward-7', idleTimeoutMs: 300_000 } });
  });

  it('reports a tampered policy with a clear message and exit code 1', async () => {
    const dir = freshDir();
    await wardline(['policy', 'keygen', '--out', dir]);
    writeFileSync(join(dir, 'draft.json'), JSON.stringify(examplePolicyDraft()));
    await wardline([
      'policy',
      'sign',
      '--key',
      join(dir, 'wardline-policy.key'),
      '--in',
      join(dir, 'draft.json'),
      '--out',
      join(dir, 'policy.json'),
    ]);
    const file = join(dir, 'policy.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"offlineGraceHours": 72', '"offlineGraceHours": 720'));
    const verify = await wardline(['policy', 'verify', '--public-key', join(dir, 'wardline-policy.pub'), '--file', file]);
    expect(verify.code).toBe(1);
    expect(verify.err).toMatch(/changed since it was signed.*\[POLICY_SIGNATURE_INVALID\]/);
  });

  it('refuses to sign an incomplete draft, naming what is missing', async () => {
    const dir = freshDir();
    await wardline(['policy', 'keygen', '--out', dir]);
    const draft = examplePolicyDraft();
    delete draft.session;
    writeFileSync(join(dir, 'draft.json'), JSON.stringify(draft));
    const sign = await wardline([
      'policy',
      'sign',
      '--key',
      join(dir, 'wardline-policy.key'),
      '--in',
      join(dir, 'draft.json'),
      '--out',
      join(dir, 'policy.json'),
    ]);
    expect(sign.code).toBe(1);
    expect(sign.err).toContain('session: missing');
  });

  it('never overwrites an existing key pair', async () => {
    const dir = freshDir();
    await wardline(['policy', 'keygen', '--out', dir]);
    const before = readFileSync(join(dir, 'wardline-policy.key'), 'utf8');
    const again = await wardline(['policy', 'keygen', '--out', dir]);
    expect(again.code).toBe(2);
    expect(again.err).toContain('already exists');
    expect(readFileSync(join(dir, 'wardline-policy.key'), 'utf8')).toBe(before);
  });

  it('asks for a subcommand and for the key to verify with', async () => {
    expect((await wardline(['policy'])).err).toContain('needs one of: keygen, sign, verify');
    expect((await wardline(['policy', 'verify', '--file', '/nonexistent'])).err).toContain('--public-key');
  });

  it('works as a real process too', () => {
    const dir = freshDir();
    const run = spawnSync(process.execPath, [BIN, 'policy', 'keygen', '--out', dir], { encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Key id');
  });
});

describe('wardline update', () => {
  it('writes, signs and verifies a manifest; refuses it tampered or as a downgrade', async () => {
    const dir = freshDir();
    await wardline(['update', 'keygen', '--out', dir]);
    writeFileSync(join(dir, 'Wardline-Setup-1.4.0.exe'), 'installer bytes');
    const manifest = join(dir, 'wardline-update.json');
    expect(
      (
        await wardline([
          'update',
          'manifest',
          '--version',
          '1.4.0',
          '--channel',
          'stable',
          '--files',
          join(dir, 'Wardline-Setup-1.4.0.exe'),
          '--out',
          manifest,
        ])
      ).code,
    ).toBe(0);
    expect((await wardline(['update', 'sign', '--key', join(dir, 'wardline-release.key'), '--manifest', manifest])).code).toBe(0);
    const verify = ['update', 'verify', '--public-key', join(dir, 'wardline-release.pub'), '--manifest', manifest, '--channel', 'stable'];
    expect(await wardline([...verify, '--current', '1.3.0'])).toMatchObject({ code: 0, out: expect.stringContaining('would take 1.4.0') });
    expect(await wardline([...verify, '--current', '1.5.0'])).toMatchObject({ code: 1, err: expect.stringContaining('[DOWNGRADE]') });
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('"stable"', '"beta"'));
    expect(await wardline([...verify, '--current', '1.3.0'])).toMatchObject({
      code: 1,
      err: expect.stringContaining('[MANIFEST_SIGNATURE_INVALID]'),
    });
    rmSync(`${manifest}.sig`);
    expect(await wardline([...verify, '--current', '1.3.0'])).toMatchObject({
      code: 1,
      err: expect.stringContaining('[MANIFEST_NOT_SIGNED]'),
    });
  });
});
