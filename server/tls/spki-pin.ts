// The pin a workstation's policy holds for the hub: base64(SHA-256(DER SubjectPublicKeyInfo)) of
// the certificate's public key, the same value `openssl x509 -pubkey | openssl pkey -pubin -outform der
// | openssl dgst -sha256 -binary | base64` prints.
import { createHash, X509Certificate } from 'node:crypto';

export function spkiPin(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}
