// The Linux packages' GPG signatures (build/sign-linux-packages.mjs, electron-builder's
// afterAllArtifactBuild hook) for real: a .deb made by dpkg-deb, a key made by gpg in a throwaway
// keyring. The .deb gets a debsigs origin signature that gpg verifies and that a changed package
// fails, and stays a valid .deb. rpmsign is not installed on this machine: there the build fails
// rather than ship an unsigned .rpm (signing an .rpm remains to check where rpm is installed).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface LinuxSigning {
  afterAllArtifactBuild(result: { artifactPaths: string[] }, env?: NodeJS.ProcessEnv): Promise<string[]>;
  verifyDeb(file: string, env?: NodeJS.ProcessEnv): boolean;
  readArMembers(bytes: Buffer): { name: string; data: Buffer }[];
}

const ROOT = path.join(import.meta.dirname, '..', '..');
const hook = (await import(pathToFileURL(path.join(ROOT, 'build', 'sign-linux-packages.mjs')).href)) as LinuxSigning;
const dir = mkdtempSync(path.join(os.tmpdir(), 'wardline-linuxsign-'));
const gnupgHome = path.join(dir, 'gnupg');
const env = { ...process.env, GNUPGHOME: gnupgHome };
let fingerprint: string;

function gpg(args: string[], home = gnupgHome) {
  return spawnSync('gpg', ['--batch', '--yes', ...args], { env: { ...process.env, GNUPGHOME: home }, encoding: 'utf8' });
}

/** A minimal .deb, built by dpkg-deb. */
function debPackage(name: string): string {
  const root = path.join(dir, `${name}-root`);
  mkdirSync(path.join(root, 'DEBIAN'), { recursive: true });
  mkdirSync(path.join(root, 'opt', 'Wardline'), { recursive: true });
  writeFileSync(path.join(root, 'opt', 'Wardline', 'wardline'), '#!/bin/sh\necho wardline\n', { mode: 0o755 });
  writeFileSync(
    path.join(root, 'DEBIAN', 'control'),
    'Package: wardline\nVersion: 0.1.0\nArchitecture: amd64\nMaintainer: Wardline IT <it@wardline.invalid>\nDescription: test package\n',
  );
  const file = path.join(dir, `${name}.deb`);
  const run = spawnSync('dpkg-deb', ['--build', '--root-owner-group', root, file], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return file;
}

beforeAll(() => {
  mkdirSync(gnupgHome, { mode: 0o700 });
  const made = gpg(['--passphrase', '', '--quick-gen-key', 'Wardline Packages <packages@wardline.invalid>', 'ed25519', 'sign', '1d']);
  expect(made.status, made.stderr).toBe(0);
  fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(gpg(['--with-colons', '--list-secret-keys']).stdout)![1]!;
}, 60_000);

afterAll(() => {
  spawnSync('gpgconf', ['--kill', 'gpg-agent'], { env });
  rmSync(dir, { recursive: true, force: true });
});

describe('signing the Linux packages', () => {
  it('is the afterAllArtifactBuild hook of electron-builder.yml', () => {
    const config = load(readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as { afterAllArtifactBuild: string };
    expect(config.afterAllArtifactBuild).toBe('./build/sign-linux-packages.mjs');
  });

  it('gives a .deb an origin signature gpg verifies, and it stays a .deb dpkg reads', async () => {
    const deb = debPackage('signed');
    expect(hook.verifyDeb(deb, env)).toBe(false);
    await expect(
      hook.afterAllArtifactBuild({ artifactPaths: [deb, path.join(dir, 'Wardline.AppImage')] }, { ...env, WARDLINE_GPG_KEY: fingerprint }),
    ).resolves.toEqual([]);
    const names = hook.readArMembers(readFileSync(deb)).map((m) => m.name);
    expect(names).toHaveLength(4);
    expect(names[0]).toBe('debian-binary');
    expect(names[3]).toBe('_gpgorigin');
    expect(hook.verifyDeb(deb, env)).toBe(true);
    const info = spawnSync('dpkg-deb', ['--info', deb], { encoding: 'utf8' });
    expect(info.status).toBe(0);
    expect(info.stdout).toMatch(/Package: wardline/);
    // A keyring that does not hold the organisation's key does not accept it.
    const otherHome = path.join(dir, 'other-gnupg');
    mkdirSync(otherHome, { mode: 0o700 });
    expect(hook.verifyDeb(deb, { ...process.env, GNUPGHOME: otherHome })).toBe(false);
  });

  it('a signed .deb whose content was changed fails verification', async () => {
    const deb = debPackage('tampered');
    await hook.afterAllArtifactBuild({ artifactPaths: [deb] }, { ...env, WARDLINE_GPG_KEY: fingerprint });
    const bytes = readFileSync(deb);
    const data = hook.readArMembers(bytes).find((m) => m.name.startsWith('data.tar'))!;
    const at = bytes.indexOf(data.data);
    bytes[at + Math.floor(data.data.length / 2)]! ^= 0xff;
    writeFileSync(deb, bytes);
    expect(hook.verifyDeb(deb, env)).toBe(false);
  });

  it('refuses to finish with an unsigned package: no key named, an unknown key, no rpmsign', async () => {
    const deb = debPackage('refused');
    await expect(hook.afterAllArtifactBuild({ artifactPaths: [deb] }, env)).rejects.toThrow(
      /WARDLINE_GPG_KEY is not set.*refused\.deb would ship unsigned/,
    );
    await expect(
      hook.afterAllArtifactBuild({ artifactPaths: [deb] }, { ...env, WARDLINE_GPG_KEY: 'nobody@wardline.invalid' }),
    ).rejects.toThrow(/gpg could not sign refused\.deb/);
    expect(hook.verifyDeb(deb, env)).toBe(false);
    const rpm = path.join(dir, 'wardline-0.1.0.x86_64.rpm');
    writeFileSync(rpm, 'not really an rpm');
    const hasRpmsign = spawnSync('rpmsign', ['--version']).error === undefined;
    if (!hasRpmsign)
      await expect(hook.afterAllArtifactBuild({ artifactPaths: [rpm] }, { ...env, WARDLINE_GPG_KEY: fingerprint })).rejects.toThrow(
        /rpmsign \(from rpm\) is needed/,
      );
    else
      await expect(hook.afterAllArtifactBuild({ artifactPaths: [rpm] }, { ...env, WARDLINE_GPG_KEY: fingerprint })).rejects.toThrow(
        /rpmsign could not sign/,
      );
  });

  it('leaves a build without deb or rpm alone, key or not', async () => {
    await expect(hook.afterAllArtifactBuild({ artifactPaths: [path.join(dir, 'Wardline Setup 0.1.0.exe')] }, {})).resolves.toEqual([]);
  });
});
