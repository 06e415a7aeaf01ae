// electron-builder afterPack hook: runs on the packed app before it is signed.
// 1. Flips Electron's fuses: no ELECTRON_RUN_AS_NODE, no NODE_OPTIONS, no --inspect, cookies
//    encrypted, the app only from its asar archive, whose integrity Electron checks (macOS, Windows).
// 2. Writes resources/wardline-trust.json: the organisation's policy public keys (and the release
//    keys for update manifests), from WARDLINE_POLICY_PUBLIC_KEYS / WARDLINE_UPDATE_PUBLIC_KEYS
//    (comma-separated paths of PEM files). Packaging refuses without a policy key: a build that
//    trusts no policy key could never start.
import { createPublicKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses';

/** The fuse wire Wardline ships with (every fuse @electron/fuses knows is decided, none left to Electron's default). */
export const WARDLINE_FUSES = Object.freeze({
  version: FuseVersion.V1,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
});

export const TRUST_FILE_NAME = 'wardline-trust.json';

/** The packed Electron binary whose fuses are flipped. */
export function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(appOutDir, `${packager.appInfo.productFilename}.app`);
    case 'win32':
      return path.join(appOutDir, `${packager.appInfo.productFilename}.exe`);
    default:
      return path.join(appOutDir, packager.executableName);
  }
}

function ed25519PublicKeys(variable, env) {
  const list = (env[variable] ?? '')
    .split(',')
    .map((file) => file.trim())
    .filter((file) => file !== '');
  return list.map((file) => {
    const pem = readFileSync(file, 'utf8');
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'ed25519')
      throw new Error(`${variable}: ${file} is not an Ed25519 public key (use wardline policy keygen / wardline update keygen).`);
    return key.export({ type: 'spki', format: 'pem' }).toString();
  });
}

/** wardline-trust.json's content from the environment; throws when no policy key is given. */
export function trustAnchorsFromEnvironment(env = process.env) {
  const policyKeys = ed25519PublicKeys('WARDLINE_POLICY_PUBLIC_KEYS', env);
  if (policyKeys.length === 0) {
    throw new Error(
      "WARDLINE_POLICY_PUBLIC_KEYS is not set: give the path of the organisation's policy public key (wardline policy keygen). A Wardline that trusts no policy key cannot start, so it is not packaged.",
    );
  }
  return { policyKeys, updateKeys: ed25519PublicKeys('WARDLINE_UPDATE_PUBLIC_KEYS', env) };
}

export async function afterPack(context, env = process.env) {
  const trust = trustAnchorsFromEnvironment(env);
  writeFileSync(path.join(context.packager.getResourcesDir(context.appOutDir), TRUST_FILE_NAME), `${JSON.stringify(trust, null, 2)}\n`, {
    mode: 0o644,
  });
  const isMac = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas';
  await flipFuses(electronBinaryPath(context), { ...WARDLINE_FUSES, resetAdHocDarwinSignature: isMac });
}

export default afterPack;
