// The Windows sign hook (build/windows-sign.mjs) for real: a code-signing certificate made by
// openssl, a real Windows executable, osslsigncode as the organisation's signing command (it stands
// for an HSM or cloud signer: the hook only runs a command). The publisherName check refuses a
// certificate electron-updater would later refuse, and a command that does not sign fails the build.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';

interface SignHook {
  sign(configuration: { path: string; hash?: string }, packager?: unknown, env?: NodeJS.ProcessEnv): Promise<void>;
  checkPublisher(options: { publisherName: unknown; certificate: Buffer; now?: Date }): string;
  peIsSigned(bytes: Buffer): boolean;
  preflight(env?: NodeJS.ProcessEnv): Promise<string>;
}

const ROOT = path.join(import.meta.dirname, '..', '..');
const HOOK = path.join(ROOT, 'build', 'windows-sign.mjs');
const hook = (await import(pathToFileURL(HOOK).href)) as SignHook;
const config = load(readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as {
  win: { signtoolOptions: { publisherName: string[]; sign: string; signingHashAlgorithms: string[] } };
};
const winPackager = { platformSpecificBuildOptions: config.win };
const UNSIGNED_EXE = path.join(ROOT, 'node_modules', 'electron-winstaller', 'vendor', 'StubExecutable.exe');

const dir = mkdtempSync(path.join(os.tmpdir(), 'wardline-winsign-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A self-signed certificate and key made by openssl; codeSigning in its extended key usage unless told otherwise. */
function certificate(name: string, commonName: string, extendedKeyUsage = 'codeSigning'): { cert: string; key: string } {
  const cert = path.join(dir, `${name}.pem`);
  const key = path.join(dir, `${name}.key`);
  const run = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '30',
      '-subj',
      `/CN=${commonName}/O=Test Hospital`,
      '-addext',
      `extendedKeyUsage=${extendedKeyUsage}`,
    ],
    { encoding: 'utf8' },
  );
  expect(run.status, run.stderr).toBe(0);
  return { cert, key };
}

const wardline = certificate('wardline', 'Wardline');
const stranger = certificate('stranger', 'Someone Else Ltd');
const serverOnly = certificate('server-only', 'Wardline', 'serverAuth');

function unsignedCopy(name: string): string {
  const file = path.join(dir, name);
  copyFileSync(UNSIGNED_EXE, file);
  return file;
}

const osslsign = (cert: { cert: string; key: string }) =>
  JSON.stringify([
    'osslsigncode',
    'sign',
    '-certs',
    cert.cert,
    '-key',
    cert.key,
    '-h',
    'sha256',
    '-n',
    'Wardline',
    '-in',
    '{file}',
    '-out',
    '{out}',
  ]);

describe('the publisherName check', () => {
  it('accepts the certificate whose common name is publisherName, and names both when they differ', () => {
    expect(config.win.signtoolOptions.publisherName).toEqual(['Wardline']);
    expect(hook.checkPublisher({ publisherName: ['Wardline'], certificate: readFileSync(wardline.cert) })).toBe('Wardline');
    expect(() => hook.checkPublisher({ publisherName: ['Wardline'], certificate: readFileSync(stranger.cert) })).toThrow(
      /publisherName \["Wardline"\] does not name the signing certificate, whose common name is "Someone Else Ltd"/,
    );
    expect(() => hook.checkPublisher({ publisherName: undefined, certificate: readFileSync(wardline.cert) })).toThrow(
      /publisherName is not set/,
    );
  });

  it('refuses a certificate that is not for code signing, or not valid at build time', () => {
    expect(() => hook.checkPublisher({ publisherName: 'Wardline', certificate: readFileSync(serverOnly.cert) })).toThrow(
      /not a code-signing certificate/,
    );
    expect(() =>
      hook.checkPublisher({
        publisherName: 'Wardline',
        certificate: readFileSync(wardline.cert),
        now: new Date(Date.now() + 60 * 86_400_000),
      }),
    ).toThrow(/is not valid now/);
  });

  it('runs as a preflight against electron-builder.yml', async () => {
    const env = { WARDLINE_WIN_SIGN_COMMAND: osslsign(wardline) };
    await expect(hook.preflight({ ...env, WARDLINE_WIN_SIGN_CERTIFICATE: wardline.cert })).resolves.toBe('Wardline');
    await expect(hook.preflight({ ...env, WARDLINE_WIN_SIGN_CERTIFICATE: stranger.cert })).rejects.toThrow(/Someone Else Ltd/);
    const cli = spawnSync(process.execPath, [HOOK, '--preflight'], {
      encoding: 'utf8',
      env: { ...process.env, ...env, WARDLINE_WIN_SIGN_CERTIFICATE: stranger.cert },
    });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toMatch(/does not name the signing certificate/);
  });
});

describe('the custom sign hook', () => {
  it('is the hook electron-builder resolves from electron-builder.yml, for SHA-256 only', async () => {
    expect(config.win.signtoolOptions.sign).toBe('./build/windows-sign.mjs');
    expect(config.win.signtoolOptions.signingHashAlgorithms).toEqual(['sha256']);
    const require = createRequire(import.meta.url);
    const { resolveFunction } = require('app-builder-lib/out/util/resolve') as {
      resolveFunction(type: string, executor: string, name: string, root: string): Promise<unknown>;
    };
    const resolved = await resolveFunction('module', config.win.signtoolOptions.sign, 'sign', ROOT);
    // electron-builder loads its own instance of the module: it is the hook by what it does.
    const resolvedSign = resolved as SignHook['sign'];
    await expect(resolvedSign({ path: path.join(dir, 'any.exe'), hash: 'sha1' }, winPackager, {})).resolves.toBeUndefined();
    await expect(resolvedSign({ path: path.join(dir, 'any.exe'), hash: 'sha256' }, winPackager, {})).rejects.toThrow(
      /WARDLINE_WIN_SIGN_CERTIFICATE is not set/,
    );
  });

  it("signs an executable through the configured command with the organisation's certificate (Authenticode, verifiable)", async () => {
    const exe = unsignedCopy('Wardline.exe');
    expect(hook.peIsSigned(readFileSync(exe))).toBe(false);
    await hook.sign({ path: exe, hash: 'sha256' }, winPackager, {
      ...process.env,
      WARDLINE_WIN_SIGN_COMMAND: osslsign(wardline),
      WARDLINE_WIN_SIGN_CERTIFICATE: wardline.cert,
    });
    expect(hook.peIsSigned(readFileSync(exe))).toBe(true);
    const verify = spawnSync('osslsigncode', ['verify', '-CAfile', wardline.cert, '-in', exe], { encoding: 'utf8' });
    expect(verify.stdout).toMatch(/Subject: \/CN=Wardline/);
    expect(verify.stdout).toMatch(/Signature verification: ok/);
    expect(existsSync(`${exe}.signed.exe`)).toBe(false);
  });

  it('signs nothing when the certificate is not the publisher, and fails the build', async () => {
    const exe = unsignedCopy('Wardline-stranger.exe');
    await expect(
      hook.sign({ path: exe, hash: 'sha256' }, winPackager, {
        ...process.env,
        WARDLINE_WIN_SIGN_COMMAND: osslsign(stranger),
        WARDLINE_WIN_SIGN_CERTIFICATE: stranger.cert,
      }),
    ).rejects.toThrow(/does not name the signing certificate/);
    expect(hook.peIsSigned(readFileSync(exe))).toBe(false);
  });

  it('fails the build when the command fails, or "succeeds" without signing, or is not configured', async () => {
    const exe = unsignedCopy('Wardline-fails.exe');
    const base = { ...process.env, WARDLINE_WIN_SIGN_CERTIFICATE: wardline.cert };
    const failing = path.join(dir, 'failing-signer.sh');
    writeFileSync(failing, '#!/bin/sh\necho "HSM slot not found" >&2\nexit 3\n', { mode: 0o755 });
    await expect(
      hook.sign({ path: exe, hash: 'sha256' }, winPackager, { ...base, WARDLINE_WIN_SIGN_COMMAND: JSON.stringify([failing]) }),
    ).rejects.toThrow(/Signing Wardline-fails\.exe failed .*exit code 3: HSM slot not found/);
    await expect(hook.sign({ path: exe, hash: 'sha256' }, winPackager, { ...base, WARDLINE_WIN_SIGN_COMMAND: '["true"]' })).rejects.toThrow(
      /carries no signature/,
    );
    await expect(hook.sign({ path: exe, hash: 'sha256' }, winPackager, base)).rejects.toThrow(/WARDLINE_WIN_SIGN_COMMAND is not set/);
    await expect(
      hook.sign({ path: exe, hash: 'sha256' }, winPackager, { ...base, WARDLINE_WIN_SIGN_COMMAND: 'signtool sign' }),
    ).rejects.toThrow(/JSON array/);
    expect(hook.peIsSigned(readFileSync(exe))).toBe(false);
  });
});
