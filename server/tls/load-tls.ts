// Where the hub's certificate comes from: PEM files given by IT, or with `--dev-tls` a self-signed
// pair kept in the data folder (made once, so the pin workstations hold survives a restart), its
// private key sealed with the hub's key-encryption key (dev-key-file.ts), never in the clear.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createDevCertificate, type TlsMaterial } from './dev-certificate.js';
import { DEV_TLS_FOLDER, readDevKey, writeDevKey, type KeySealer } from './dev-key-file.js';
import { spkiPin } from './spki-pin.js';
import { TlsError } from './tls-error.js';

export interface HubTls extends TlsMaterial {
  /** base64(SHA-256(DER SubjectPublicKeyInfo)) of the certificate. */
  readonly pin: string;
}

export type TlsSource =
  | { readonly kind: 'files'; readonly certPath: string; readonly keyPath: string }
  | {
      readonly kind: 'dev';
      readonly dataDir: string;
      readonly hostNames?: readonly string[];
      /** Seals the private key at rest: the hub database's SecretEnvelope (the hub key's KEK). */
      readonly sealer: KeySealer;
    };

function checked(material: TlsMaterial): HubTls {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(material.certPem);
    if (!certificate.checkPrivateKey(createPrivateKey(material.keyPem))) throw new Error('key mismatch');
  } catch (cause) {
    throw new TlsError(
      'TLS_FILES_INVALID',
      'The hub certificate or key is not valid PEM, or the key does not belong to the certificate. Check --cert and --key.',
      { cause },
    );
  }
  return { ...material, pin: spkiPin(material.certPem) };
}

async function readOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

export async function loadTls(source: TlsSource): Promise<HubTls> {
  if (source.kind === 'files') {
    const [certPem, keyPem] = await Promise.all([readOrNull(source.certPath), readOrNull(source.keyPath)]);
    if (certPem === null || keyPem === null) {
      throw new TlsError(
        'TLS_FILES_UNREADABLE',
        'The hub could not read its certificate or key file. Check the --cert and --key paths and permissions.',
      );
    }
    return checked({ certPem, keyPem });
  }
  const folder = join(source.dataDir, DEV_TLS_FOLDER);
  const certPath = join(folder, 'hub-cert.pem');
  const [certPem, keyPem] = await Promise.all([readOrNull(certPath), readDevKey(folder, source.sealer)]);
  if (certPem !== null && keyPem !== null) {
    const existing = checked({ certPem, keyPem });
    const notAfter = new Date(new X509Certificate(certPem).validTo).getTime();
    if (notAfter - Date.now() > 7 * 86_400_000) return existing;
  }
  const fresh = createDevCertificate(source.hostNames ? { hostNames: source.hostNames } : {});
  await mkdir(folder, { recursive: true, mode: 0o700 });
  await writeDevKey(folder, fresh.keyPem, source.sealer);
  await writeFile(certPath, fresh.certPem, { mode: 0o644 });
  return checked(fresh);
}
