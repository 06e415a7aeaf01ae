// The packaging hooks run for real: the afterPack hook on a packed app whose Electron binary
// carries a fuse wire (the sentinel and wire @electron/fuses looks for), and the notarization
// hook's reading of credentials from the environment.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSigningKeyPair, parseTrustAnchors } from '../../electron/policy/index.js';

interface PackContext {
  appOutDir: string;
  electronPlatformName: string;
  arch: number;
  packager: { appInfo: { productFilename: string }; executableName: string; getResourcesDir(appOutDir: string): string };
}
interface AfterPackModule {
  afterPack(context: PackContext, env?: NodeJS.ProcessEnv): Promise<void>;
  electronBinaryPath(context: PackContext): string;
  WARDLINE_FUSES: Record<string, unknown>;
}
interface NotarizeModule {
  notarizeOptions(appPath: string, env: NodeJS.ProcessEnv): Record<string, unknown> | null;
  afterSign(context: PackContext, env?: NodeJS.ProcessEnv): Promise<void>;
}
interface FusesModule {
  getCurrentFuseWire(binary: string): Promise<Record<string, unknown>>;
  FuseV1Options: Record<string, number>;
}

const ROOT = path.join(import.meta.dirname, '..', '..');
const hooks = (await import(pathToFileURL(path.join(ROOT, 'build', 'after-pack.mjs')).href)) as AfterPackModule;
const notarizeHook = (await import(pathToFileURL(path.join(ROOT, 'build', 'notarize.mjs')).href)) as NotarizeModule;
const fuses = (await import('@electron/fuses')) as unknown as FusesModule;

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** A fuse's byte in the wire: "1" enabled, "0" disabled (@electron/fuses' FuseState). */
const ENABLE = 0x31;
const DISABLE = 0x30;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A packed Linux app: an "Electron binary" with Electron's default fuse wire (version 1, 8 fuses), and a resources folder. */
function packedLinuxApp(): PackContext {
  const appOutDir = mkdtempSync(path.join(os.tmpdir(), 'wardline-pack-'));
  dirs.push(appOutDir);
  mkdirSync(path.join(appOutDir, 'resources'));
  const defaults = [ENABLE, DISABLE, ENABLE, ENABLE, DISABLE, DISABLE, DISABLE, ENABLE];
  const binary = Buffer.concat([
    Buffer.from('\x7fELF...electron code...'),
    Buffer.from(SENTINEL),
    Buffer.from([1, defaults.length, ...defaults]),
    Buffer.from('...more code'),
  ]);
  writeFileSync(path.join(appOutDir, 'wardline'), binary);
  return {
    appOutDir,
    electronPlatformName: 'linux',
    arch: 1,
    packager: {
      appInfo: { productFilename: 'Wardline' },
      executableName: 'wardline',
      getResourcesDir: (dir) => path.join(dir, 'resources'),
    },
  };
}

function keyFile(dir: string, name: string, pem: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, pem);
  return file;
}

describe('the afterPack hook', () => {
  it('turns off RunAsNode, NODE_OPTIONS and --inspect, and turns on cookie encryption, asar-only loading and asar integrity', async () => {
    const context = packedLinuxApp();
    const policyKey = keyFile(context.appOutDir, 'policy.pub', generateSigningKeyPair().publicKeyPem);
    await hooks.afterPack(context, { WARDLINE_POLICY_PUBLIC_KEYS: policyKey });
    const wire = await fuses.getCurrentFuseWire(path.join(context.appOutDir, 'wardline'));
    const F = fuses.FuseV1Options;
    const S = { ENABLE, DISABLE };
    expect(wire[F.RunAsNode!]).toBe(S.DISABLE);
    expect(wire[F.EnableNodeOptionsEnvironmentVariable!]).toBe(S.DISABLE);
    expect(wire[F.EnableNodeCliInspectArguments!]).toBe(S.DISABLE);
    expect(wire[F.EnableCookieEncryption!]).toBe(S.ENABLE);
    expect(wire[F.OnlyLoadAppFromAsar!]).toBe(S.ENABLE);
    expect(wire[F.EnableEmbeddedAsarIntegrityValidation!]).toBe(S.ENABLE);
    expect(wire[F.GrantFileProtocolExtraPrivileges!]).toBe(S.DISABLE);
    expect(Object.keys(hooks.WARDLINE_FUSES).filter((k) => k !== 'version')).toHaveLength(8);
  });

  it("writes the trusted policy and release keys into the app's resources", async () => {
    const context = packedLinuxApp();
    const policy = generateSigningKeyPair();
    const release = generateSigningKeyPair();
    await hooks.afterPack(context, {
      WARDLINE_POLICY_PUBLIC_KEYS: keyFile(context.appOutDir, 'policy.pub', policy.publicKeyPem),
      WARDLINE_UPDATE_PUBLIC_KEYS: keyFile(context.appOutDir, 'release.pub', release.publicKeyPem),
    });
    const anchors = parseTrustAnchors(readFileSync(path.join(context.appOutDir, 'resources', 'wardline-trust.json'), 'utf8'));
    expect(anchors.policyKeys.map((k) => k.keyId)).toEqual([policy.keyId]);
    expect(anchors.updateKeys.map((k) => k.keyId)).toEqual([release.keyId]);
  });

  it('refuses to package a Wardline that trusts no policy key, or a key that is not Ed25519', async () => {
    const context = packedLinuxApp();
    await expect(hooks.afterPack(context, {})).rejects.toThrow(/WARDLINE_POLICY_PUBLIC_KEYS is not set/);
    const { generateKeyPairSync } = await import('node:crypto');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await expect(hooks.afterPack(context, { WARDLINE_POLICY_PUBLIC_KEYS: keyFile(context.appOutDir, 'rsa.pub', rsa) })).rejects.toThrow(
      /not an Ed25519 public key/,
    );
    const wire = await fuses.getCurrentFuseWire(path.join(context.appOutDir, 'wardline'));
    expect(wire[fuses.FuseV1Options.RunAsNode!]).toBe(ENABLE);
  });

  it('finds the Electron binary on each platform', () => {
    const base = packedLinuxApp();
    expect(hooks.electronBinaryPath({ ...base, electronPlatformName: 'darwin' })).toBe(path.join(base.appOutDir, 'Wardline.app'));
    expect(hooks.electronBinaryPath({ ...base, electronPlatformName: 'win32' })).toBe(path.join(base.appOutDir, 'Wardline.exe'));
    expect(hooks.electronBinaryPath(base)).toBe(path.join(base.appOutDir, 'wardline'));
  });
});

describe('the notarization hook', () => {
  it('takes Apple credentials from the environment only, preferring an API key', () => {
    expect(
      notarizeHook.notarizeOptions('/out/Wardline.app', {
        APPLE_API_KEY: '/secrets/key.p8',
        APPLE_API_KEY_ID: 'ABC',
        APPLE_API_ISSUER: 'issuer',
        APPLE_ID: 'it@hospital.example',
      }),
    ).toEqual({
      tool: 'notarytool',
      appPath: '/out/Wardline.app',
      appleApiKey: '/secrets/key.p8',
      appleApiKeyId: 'ABC',
      appleApiIssuer: 'issuer',
    });
    expect(
      notarizeHook.notarizeOptions('/a.app', { APPLE_ID: 'it@hospital.example', APPLE_APP_SPECIFIC_PASSWORD: 'x', APPLE_TEAM_ID: 'T' }),
    ).toMatchObject({ appleId: 'it@hospital.example', teamId: 'T' });
    expect(notarizeHook.notarizeOptions('/a.app', { APPLE_KEYCHAIN_PROFILE: 'wardline' })).toMatchObject({ keychainProfile: 'wardline' });
  });

  it('fails a macOS build without credentials, unless told it is a local test build', () => {
    expect(() => notarizeHook.notarizeOptions('/a.app', {})).toThrow(/No Apple notarization credentials/);
    expect(notarizeHook.notarizeOptions('/a.app', { WARDLINE_SKIP_NOTARIZE: '1' })).toBeNull();
  });

  it('does nothing for Windows and Linux builds', async () => {
    await expect(notarizeHook.afterSign({ ...packedLinuxApp() }, {})).resolves.toBeUndefined();
  });
});
