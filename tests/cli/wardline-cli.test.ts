// The `wardline` admin CLI as IT uses it: a real process, a real OS keystore (gnome-keyring in the
// test's D-Bus session), real vault files.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeytarCustodian, keyNameFor } from '../../electron/vault/index.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'wardline.js');
const dirs: string[] = [];

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wardline-cli-'));
  dirs.push(dir);
  return dir;
}

function wardline(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const run = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 120_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

afterEach(async () => {
  for (const dir of dirs.splice(0)) {
    wardline(['wipe', '--force', '--export', join(dir, 'audit-at-cleanup.json'), '--data', dir]);
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('wardline CLI', () => {
  it('creates a vault whose status reports SQLCipher encryption and counts, as exact JSON', () => {
    const dir = freshDir();
    const init = wardline(['init', '--data', dir]);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    const status = wardline(['status', '--json', '--data', dir]);
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout) as { vault: Record<string, unknown> };
    expect(parsed.vault).toMatchObject({ encrypted: true, cipher: 'sqlcipher', patients: 0, resources: 0 });
    expect(parsed.vault.schemaVersion).toEqual(expect.any(Number));
    expect(parsed.vault.schemaVersion as number).toBeGreaterThanOrEqual(1);
  });

  it('reads the data directory from WARDLINE_DATA when --data is absent', () => {
    const dir = freshDir();
    expect(wardline(['init'], { ...process.env, WARDLINE_DATA: dir }).code).toBe(0);
    expect(existsSync(join(dir, 'vault.db'))).toBe(true);
    expect(wardline(['status', '--json'], { ...process.env, WARDLINE_DATA: dir }).code).toBe(0);
  });

  it('refuses to create a second vault over an existing one, in one line, leaving it readable', () => {
    const dir = freshDir();
    expect(wardline(['init', '--data', dir]).code).toBe(0);
    const again = wardline(['init', '--data', dir]);
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(/already exists/i);
    expect(wardline(['status', '--json', '--data', dir]).code).toBe(0);
  });

  it('says clearly that there is no vault instead of creating one on status', () => {
    const dir = freshDir();
    const status = wardline(['status', '--json', '--data', dir]);
    expect(status.code).toBe(1);
    expect(status.stderr).toMatch(/no vault/i);
    expect(status.stdout).toBe('');
    expect(existsSync(join(dir, 'vault.db'))).toBe(false);
  });

  it('wipes by destroying the key in the keystore and deleting the files', async () => {
    const dir = freshDir();
    expect(wardline(['init', '--data', dir]).code).toBe(0);
    const custodian = createKeytarCustodian();
    expect(await custodian.load(keyNameFor(dir, 'vault'))).not.toBeNull();
    const wipe = wardline(['wipe', '--data', dir]);
    expect(wipe.code).toBe(0);
    expect(await custodian.load(keyNameFor(dir, 'vault'))).toBeNull();
    expect(readdirSync(dir).filter((f) => f.startsWith('vault.db'))).toEqual([]);
    expect(wardline(['status', '--data', dir]).code).toBe(1);
  });

  it('keeps the audit trail through a wipe, and the trail records the wipe', () => {
    const dir = freshDir();
    expect(wardline(['init', '--data', dir]).code).toBe(0);
    expect(wardline(['wipe', '--data', dir]).code).toBe(0);
    expect(wardline(['audit', 'verify', '--data', dir]).code).toBe(0);
    const csv = wardline(['audit', 'export', '--format', 'csv', '--data', dir]);
    expect(csv.code).toBe(0);
    // Its start (before anything was destroyed) and its end.
    expect(csv.stdout.split('\n').filter((line) => line.includes('wipe'))).toHaveLength(2);
    // The wipe's own entries were never sent and cannot be from here now: a second wipe says so.
    const again = wardline(['wipe', '--data', dir]);
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toContain('3 audit entries not sent to the hub');
    expect(again.stderr).toContain('There is no vault here to send them with');
    expect(again.stderr).not.toContain('Sync first');
  });

  it('refuses to create a vault without an OS keystore, with one clear line and no file', () => {
    const dir = freshDir();
    const run = wardline(['init', '--data', dir], { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent-wardline-bus' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/keystore/i);
    expect(existsSync(join(dir, 'vault.db'))).toBe(false);
  });

  it('rejects an unknown command or option with a usage error (exit 2)', () => {
    expect(wardline(['frobnicate']).code).toBe(2);
    const bad = wardline(['status', '--bogus']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bogus/);
  });

  it('reports the synthetic ward the demo loads without printing any patient data in status', () => {
    const dir = freshDir();
    const demo = wardline(['demo', '--vault-only', '--data', dir, '--patients', '3', '--days', '2']);
    expect(demo.stderr).toBe('');
    expect(demo.code).toBe(0);
    const status = wardline(['status', '--json', '--data', dir]);
    const parsed = JSON.parse(status.stdout) as { vault: { patients: number; resources: number } };
    expect(parsed.vault.patients).toBe(3);
    expect(parsed.vault.resources).toBeGreaterThan(100);
    expect(Object.keys(parsed)).toEqual(['vault', 'stalenessThresholds', 'audit']);
    expect(Object.keys(parsed.vault).sort()).toEqual([
      'acceptedPolicy',
      'cipher',
      'encrypted',
      'patients',
      'resources',
      'schemaVersion',
      'ward',
    ]);
  });

  it('leaves no patient name in clear in any file of the data directory, logs included', () => {
    const dir = freshDir();
    const demo = wardline(['demo', '--vault-only', '--data', dir, '--patients', '4', '--days', '2']);
    expect(demo.code).toBe(0);
    // The demo prints the census ("Bed 3    Family, Given ..."): those are the names to look for.
    const names = demo.stdout
      .split('\n')
      .filter((line) => /^Bed \d/.test(line))
      .map((line) =>
        line
          .slice(9)
          .split(/\s{2,}/)[0]!
          .trim(),
      );
    expect(names).toHaveLength(4);
    const needles = names.flatMap((name) => name.split(', ')).filter((part) => part.length >= 3);
    const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(files.some((f) => f.name === 'wardline.log')).toBe(true);
    for (const file of files) {
      const bytes = readFileSync(join(file.parentPath, file.name));
      for (const needle of needles) {
        expect(bytes.includes(Buffer.from(needle, 'utf8')), `${file.name} holds a patient name`).toBe(false);
      }
    }
  });
});
