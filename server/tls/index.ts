// The hub's TLS: certificate and key from files, or a self-signed development pair (`--dev-tls`,
// its private key sealed with the hub's key-encryption key), and the SPKI pin workstations hold. The HTTPS server itself is configured in server/app.ts.
export { loadTls, type HubTls, type TlsSource } from './load-tls.js';
export { createDevCertificate, type TlsMaterial } from './dev-certificate.js';
export { rewrapDevKey, type KeySealer } from './dev-key-file.js';
export { spkiPin } from './spki-pin.js';
export { TlsError, type TlsErrorCode } from './tls-error.js';
