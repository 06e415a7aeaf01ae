// The development certificate: a real X.509 certificate Node (OpenSSL) accepts for a TLS 1.2+
// handshake on localhost and 127.0.0.1 when it is the trusted CA, and whose SPKI pin matches what
// the client sees; a connection that trusts something else is refused.
import { createServer } from 'node:https';
import { connect } from 'node:tls';
import { X509Certificate, createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDevCertificate } from './dev-certificate.js';
import { spkiPin } from './spki-pin.js';

function handshake(port: number, host: string, ca: string, maxVersion?: 'TLSv1.1'): Promise<{ pin: string; protocol: string | null }> {
  return new Promise((resolve, reject) => {
    const socket = connect(
      {
        host,
        port,
        ca,
        servername: host === '127.0.0.1' ? undefined : host,
        ...(maxVersion ? { maxVersion, minVersion: 'TLSv1' as const } : {}),
      },
      () => {
        const cert = socket.getPeerX509Certificate()!;
        const pin = createHash('sha256')
          .update(cert.publicKey.export({ type: 'spki', format: 'der' }))
          .digest('base64');
        const protocol = socket.getProtocol();
        socket.end();
        resolve({ pin, protocol });
      },
    );
    socket.on('error', reject);
  });
}

describe('development certificate', () => {
  it('completes a verified TLS handshake for localhost and 127.0.0.1, with the printed pin', async () => {
    const material = createDevCertificate();
    expect(new X509Certificate(material.certPem).subjectAltName).toContain('DNS:localhost');
    const server = createServer({ cert: material.certPem, key: material.keyPem, minVersion: 'TLSv1.2' }, (_req, res) => res.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      for (const host of ['localhost', '127.0.0.1']) {
        const { pin, protocol } = await handshake(port, host, material.certPem);
        expect(pin).toBe(spkiPin(material.certPem));
        expect(['TLSv1.2', 'TLSv1.3']).toContain(protocol);
      }
      const stranger = createDevCertificate();
      await expect(handshake(port, 'localhost', stranger.certPem)).rejects.toThrow();
      await expect(handshake(port, 'localhost', material.certPem, 'TLSv1.1')).rejects.toThrow();
    } finally {
      server.close();
    }
  });
});
