// The release pipeline's signed update manifest carries an expiry: `wardline update manifest`
// writes it, `wardline update verify` (the decision a workstation takes) refuses the manifest once
// it has expired, so last month's signed "1.3.2 is current" replayed by a mirror cannot hold the
// fleet on 1.3.2. Run through the shipped CLI bundle (bin/wardline.js), real key files.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = path.join(import.meta.dirname, '..', '..', 'bin', 'wardline.js');
const dir = mkdtempSync(path.join(os.tmpdir(), 'wardline-release-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function wardline(args: string[]): { code: number | null; out: string; err: string } {
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

const DAY = 86_400_000;

function signedManifest(name: string, releaseDate: Date, validDays: string): string {
  const manifest = path.join(dir, name);
  const made = wardline([
    'update',
    'manifest',
    '--version',
    '1.3.2',
    '--channel',
    'stable',
    '--files',
    path.join(dir, 'Wardline-Setup-1.3.2.exe'),
    '--release-date',
    releaseDate.toISOString(),
    '--valid-days',
    validDays,
    '--out',
    manifest,
  ]);
  expect(made).toMatchObject({ code: 0, err: '' });
  expect(wardline(['update', 'sign', '--key', path.join(dir, 'wardline-release.key'), '--manifest', manifest]).code).toBe(0);
  return manifest;
}

describe('the update manifest expiry', () => {
  it('is written by the release pipeline, and an expired signed manifest is refused where a fresh one is taken', () => {
    expect(wardline(['update', 'keygen', '--out', dir]).code).toBe(0);
    writeFileSync(path.join(dir, 'Wardline-Setup-1.3.2.exe'), 'installer bytes');
    const verify = (manifest: string) =>
      wardline([
        'update',
        'verify',
        '--public-key',
        path.join(dir, 'wardline-release.pub'),
        '--manifest',
        manifest,
        '--channel',
        'stable',
        '--current',
        '1.3.2',
      ]);

    const fresh = signedManifest('fresh.json', new Date(), '14');
    const written = JSON.parse(readFileSync(fresh, 'utf8')) as { releaseDate: string; expires: string };
    expect(Date.parse(written.expires) - Date.parse(written.releaseDate)).toBe(14 * DAY);
    expect(verify(fresh)).toMatchObject({ code: 0, out: expect.stringContaining('is up to date') });

    const lastMonth = signedManifest('last-month.json', new Date(Date.now() - 30 * DAY), '14');
    const replayed = verify(lastMonth);
    expect(replayed.code).toBe(1);
    expect(replayed.err).toContain('[MANIFEST_EXPIRED]');
    expect(replayed.out).toBe('');
  });

  it('cannot be set beyond the maximum validity', () => {
    const run = wardline([
      'update',
      'manifest',
      '--version',
      '1.3.2',
      '--channel',
      'stable',
      '--files',
      'x',
      '--valid-days',
      '90',
      '--out',
      path.join(dir, 'long.json'),
    ]);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/--valid-days must be a whole number of days from 1 to 31/);
  });
});
