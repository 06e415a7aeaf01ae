// The workstation's own key pair (ES384): made once at enrollment, its private half kept in the
// OS keystore by the host, its public half registered with the hub.
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { DEVICE_KEY_ALG } from './wire-constants.js';
import { devicePublicJwkSchema, type DevicePublicJwk } from './schemas.js';

export interface DeviceKeyPair {
  /** Extractable, so the host can export it (exportDevicePrivateKey) into the OS keystore. */
  readonly privateKey: CryptoKey;
  /** EC P-384 public JWK, exactly what POST /auth/enroll expects. */
  readonly publicKeyJwk: DevicePublicJwk;
}

export async function generateDeviceKeyPair(): Promise<DeviceKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(DEVICE_KEY_ALG, { extractable: true });
  return { privateKey, publicKeyJwk: publicJwkOf(await exportJWK(publicKey)) };
}

/** The private key as a JWK (holds `d`): only for the OS keystore, never for the wire. */
export async function exportDevicePrivateKey(privateKey: CryptoKey): Promise<JWK> {
  return exportJWK(privateKey);
}

/** A private key back from its JWK (as stored by exportDevicePrivateKey). */
export async function importDevicePrivateKey(jwk: JWK): Promise<CryptoKey> {
  if (jwk.d === undefined) throw new TypeError('This JWK holds no private key (no "d").');
  const key = await importJWK(jwk, DEVICE_KEY_ALG, { extractable: true });
  if (key instanceof Uint8Array) throw new TypeError('An ES384 key was expected, not a symmetric secret.');
  return key;
}

/** Only the public members of an EC P-384 JWK (drops `d` and any metadata). */
export function publicJwkOf(jwk: JWK): DevicePublicJwk {
  return devicePublicJwkSchema.parse({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y });
}
