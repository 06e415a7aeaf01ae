// Ed25519 keys and detached signatures, as IT and the release pipeline handle them: the private key
// as PKCS#8 PEM (kept by the organisation, never on a workstation), the public key as SPKI PEM, and
// a key id (the first 16 characters of base64url SHA-256 of the public key's DER) naming which
// key signed. Every signature covers a purpose label first, so a signature made for one purpose
// (a policy) can never be replayed as another (an update manifest).
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { PolicyError } from './policy-error.js';

export type SignaturePurpose = 'wardline-policy/1' | 'wardline-update-manifest/1';

export interface TrustedKey {
  readonly keyId: string;
  readonly key: KeyObject;
}

export interface SigningKeyPair {
  readonly keyId: string;
  readonly publicKeyPem: string;
  readonly privateKeyPem: string;
}

export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64url').slice(0, 16);
}

export function generateSigningKeyPair(): SigningKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    keyId: keyIdOf(publicKey),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** An Ed25519 public key from SPKI PEM; anything else (another algorithm, a private key, garbage) is refused. */
export function trustedKeyFromPem(pem: string): TrustedKey {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new PolicyError(
      'KEY_INVALID',
      'A public key could not be read: it must be an Ed25519 public key in PEM form (-----BEGIN PUBLIC KEY-----), as `wardline policy keygen` writes it.',
      { cause: error },
    );
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new PolicyError(
      'KEY_INVALID',
      `A public key is ${key.asymmetricKeyType ?? 'of an unknown type'}, not Ed25519. Use the key \`wardline policy keygen\` wrote.`,
    );
  }
  return { keyId: keyIdOf(key), key };
}

/** An Ed25519 private key from PKCS#8 PEM. */
export function signingKeyFromPem(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new PolicyError(
      'KEY_INVALID',
      'The signing key could not be read: it must be the Ed25519 private key (-----BEGIN PRIVATE KEY-----) that `wardline policy keygen` wrote.',
      { cause: error },
    );
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new PolicyError(
      'KEY_INVALID',
      `The signing key is ${key.asymmetricKeyType ?? 'of an unknown type'}, not Ed25519. Use the key \`wardline policy keygen\` wrote.`,
    );
  }
  return key;
}

function labelled(purpose: SignaturePurpose, content: Buffer | string): Buffer {
  return Buffer.concat([Buffer.from(`${purpose}\n`, 'utf8'), Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8')]);
}

/** base64 of the Ed25519 signature over `purpose ‖ "\n" ‖ content`. */
export function signDetached(purpose: SignaturePurpose, content: Buffer | string, privateKey: KeyObject): string {
  return sign(null, labelled(purpose, content), privateKey).toString('base64');
}

/** Whether `signature` (base64) is `key`'s signature over `purpose ‖ "\n" ‖ content`. */
export function verifyDetached(purpose: SignaturePurpose, content: Buffer | string, signature: string, key: KeyObject): boolean {
  if (!/^[A-Za-z0-9+/]{86}==$/.test(signature)) return false;
  try {
    return verify(null, labelled(purpose, content), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
