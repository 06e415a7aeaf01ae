// Certificate pins as policy and enrollment hold them: base64(SHA-256(DER SubjectPublicKeyInfo)) of
// the hub certificate's public key (what `openssl x509 -pubkey | openssl pkey -pubin -outform der |
// openssl dgst -sha256 -binary | base64` prints, and what the hub prints at start).
import { createHash, type X509Certificate } from 'node:crypto';

const PIN = /^[A-Za-z0-9+/]{43}=$/;

export function spkiPinOf(certificate: X509Certificate): string {
  const spki = certificate.publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

/** True when `text` has the shape of a SHA-256 SPKI pin (44 characters of base64). */
export function isSpkiPin(text: string): boolean {
  return PIN.test(text) && Buffer.from(text, 'base64').length === 32;
}
