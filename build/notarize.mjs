// electron-builder afterSign hook: notarizes the signed macOS app with Apple (notarytool).
// Credentials come from the environment only, in the first form found:
//   APPLE_API_KEY (path of the .p8 key), APPLE_API_KEY_ID, APPLE_API_ISSUER   (recommended)
//   APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID
//   APPLE_KEYCHAIN_PROFILE (and optionally APPLE_KEYCHAIN)
// Without any, a macOS build fails, unless WARDLINE_SKIP_NOTARIZE=1 says it is a local test build
// (Gatekeeper will then refuse it on other Macs).
import path from 'node:path';
import process from 'node:process';
import { notarize } from '@electron/notarize';

/** The options for @electron/notarize, or null when notarization is explicitly skipped. */
export function notarizeOptions(appPath, env = process.env) {
  if (env.APPLE_API_KEY && env.APPLE_API_KEY_ID && env.APPLE_API_ISSUER) {
    return {
      tool: 'notarytool',
      appPath,
      appleApiKey: env.APPLE_API_KEY,
      appleApiKeyId: env.APPLE_API_KEY_ID,
      appleApiIssuer: env.APPLE_API_ISSUER,
    };
  }
  if (env.APPLE_ID && env.APPLE_APP_SPECIFIC_PASSWORD && env.APPLE_TEAM_ID) {
    return {
      tool: 'notarytool',
      appPath,
      appleId: env.APPLE_ID,
      appleIdPassword: env.APPLE_APP_SPECIFIC_PASSWORD,
      teamId: env.APPLE_TEAM_ID,
    };
  }
  if (env.APPLE_KEYCHAIN_PROFILE) {
    return {
      tool: 'notarytool',
      appPath,
      keychainProfile: env.APPLE_KEYCHAIN_PROFILE,
      ...(env.APPLE_KEYCHAIN ? { keychain: env.APPLE_KEYCHAIN } : {}),
    };
  }
  if (env.WARDLINE_SKIP_NOTARIZE === '1') return null;
  throw new Error(
    'No Apple notarization credentials in the environment (APPLE_API_KEY/APPLE_API_KEY_ID/APPLE_API_ISSUER, or APPLE_ID/APPLE_APP_SPECIFIC_PASSWORD/APPLE_TEAM_ID, or APPLE_KEYCHAIN_PROFILE). Set WARDLINE_SKIP_NOTARIZE=1 only for a local test build.',
  );
}

export async function afterSign(context, env = process.env) {
  if (context.electronPlatformName !== 'darwin') return;
  const options = notarizeOptions(path.join(context.appOutDir, `${context.packager.appInfo.productFilename}.app`), env);
  if (options === null) {
    process.stderr.write('wardline: notarization skipped (WARDLINE_SKIP_NOTARIZE=1): this build is for local testing only.\n');
    return;
  }
  await notarize(options);
}

export default afterSign;
