// The packaging configuration as electron-builder reads it: parsed with js-yaml, validated
// against electron-builder's own schema, and checked for the installers, signing and hardening
// IT relies on.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { policyContentSchema } from '../../electron/policy/index.js';

const ROOT = path.join(import.meta.dirname, '..', '..');
const text = readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8');
type Target = string | { readonly target: string };
interface PlatformConfig {
  readonly target: readonly Target[];
  readonly [setting: string]: unknown;
}
/** The parts of electron-builder's configuration these tests read. */
interface BuilderConfig {
  readonly win: PlatformConfig;
  readonly mac: PlatformConfig;
  readonly linux: PlatformConfig;
  readonly nsis: Readonly<Record<string, unknown>>;
  readonly msi: Readonly<Record<string, unknown>>;
  readonly asar: unknown;
  readonly asarUnpack: readonly string[];
  readonly files: readonly string[];
  readonly afterPack: unknown;
  readonly afterSign: unknown;
  readonly electronFuses?: unknown;
  readonly forceCodeSigning: unknown;
  readonly publish: unknown;
}
const config = load(text) as BuilderConfig;
const require = createRequire(import.meta.url);

const targetsOf = (platform: PlatformConfig): string[] => platform.target.map((t) => (typeof t === 'string' ? t : t.target));

describe('electron-builder.yml', () => {
  it('is a configuration electron-builder itself accepts', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(c: unknown, l: unknown): Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(structuredClone(config), new DebugLogger(false))).resolves.toBeUndefined();
    await expect(
      validateConfiguration({ ...structuredClone(config), nsis: { oneClick: 'sometimes' } }, new DebugLogger(false)),
    ).rejects.toThrow(/Invalid configuration/);
  });

  it('builds per-machine Windows installers, NSIS (not one-click) and MSI', () => {
    expect(targetsOf(config.win)).toEqual(['nsis', 'msi']);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: true });
    expect(config.msi).toMatchObject({ oneClick: false, perMachine: true });
  });

  it('builds a macOS dmg with the hardened runtime, notarized by the afterSign hook', () => {
    expect(targetsOf(config.mac)).toEqual(['dmg']);
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.mac.notarize).toBe(false);
    expect(config.afterSign).toBe('./build/notarize.mjs');
    const entitlements = readFileSync(path.join(ROOT, String(config.mac.entitlements)), 'utf8');
    expect(entitlements).toContain('com.apple.security.cs.allow-jit');
    expect(entitlements).not.toMatch(/disable-library-validation|allow-unsigned-executable-memory|device\.camera|device\.audio-input/);
  });

  it('builds deb, rpm and AppImage for Linux', () => {
    expect(targetsOf(config.linux)).toEqual(['deb', 'rpm', 'AppImage']);
  });

  it('packs the app into asar with the native modules unpacked', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining([
        '**/node_modules/better-sqlite3-multiple-ciphers/**',
        '**/node_modules/keytar/**',
        '**/node_modules/argon2/**',
        '**/*.node',
      ]),
    );
    expect(config.files).toEqual(expect.arrayContaining(['dist/**/*', 'renderer/dist/**/*', '!**/*.test.*']));
    // dist/electron/wardline-cli.js (the admin CLI) ships; its development inputs list and tsx do not.
    expect(config.files).toEqual(expect.arrayContaining(['!dist/electron/wardline-cli.inputs.json', '!**/node_modules/tsx/**']));
    expect(config.files.filter((pattern) => pattern.startsWith('!dist/electron/') && pattern.includes('wardline-cli.js'))).toEqual([]);
  });

  it('flips the fuses in the afterPack hook (and not a second time through electronFuses)', () => {
    expect(config.afterPack).toBe('./build/after-pack.mjs');
    expect(config.electronFuses).toBeUndefined();
  });

  it('signs only with credentials from the environment, and refuses to build unsigned', () => {
    expect(config.forceCodeSigning).toBe(true);
    const secretKeys =
      /^\s*(cscLink|cscKeyPassword|certificateFile|certificatePassword|certificateSubjectName|appleId|appleIdPassword|appleApiKey|password|token)\s*:/im;
    expect(text).not.toMatch(secretKeys);
    const files = readdirSync(path.join(ROOT, 'build'), { recursive: true, encoding: 'utf8' });
    expect(files.filter((f) => /\.(p12|pfx|p8|pem|key|cer|keychain)$/i.test(f))).toEqual([]);
  });

  it("updates through electron-updater's generic provider, verifying the Windows publisher by name", () => {
    expect(config.publish).toEqual([{ provider: 'generic', url: '${env.WARDLINE_UPDATE_URL}', channel: 'stable' }]);
    expect(config.win.verifyUpdateCodeSignature).toBe(true);
    expect(config.win.signtoolOptions).toMatchObject({ publisherName: ['Wardline'] });
  });

  it('names the Windows publisher as electron-builder computes it for app-update.yml (not left to the certificate)', async () => {
    // electron-builder writes this list into app-update.yml as publisherName (verifyUpdateCodeSignature on);
    // electron-updater refuses an installer whose Authenticode signer is not on it.
    const { WindowsSignToolManager } = require('app-builder-lib/out/codeSign/windowsSignToolManager') as {
      WindowsSignToolManager: new (packager: unknown) => { computedPublisherName: { value: Promise<string[] | null> } };
    };
    const winPackager = { platformSpecificBuildOptions: config.win };
    expect(await new WindowsSignToolManager(winPackager).computedPublisherName.value).toEqual(['Wardline']);
  });

  it('ships a policy template that is complete once its values are replaced', () => {
    const template = JSON.parse(readFileSync(path.join(ROOT, 'build', 'policy-template.json'), 'utf8')) as unknown;
    expect(policyContentSchema.safeParse(template).success).toBe(true);
  });
});
