// `--dev-tls`: a self-signed certificate for local use, made with Node's crypto alone (ECDSA P-256,
// SHA-256). Valid for localhost, 127.0.0.1 and ::1 plus any extra host names asked for.
import { createPrivateKey, generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import {
  bitString,
  booleanTrue,
  contextExplicit,
  objectIdentifier,
  octetString,
  sequence,
  set,
  smallInteger,
  time,
  tlv,
  unsignedInteger,
  utf8String,
} from './der.js';

export interface TlsMaterial {
  readonly certPem: string;
  readonly keyPem: string;
}

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const COMMON_NAME = '2.5.4.3';
const ORGANIZATION = '2.5.4.10';

function name(commonName: string): Buffer {
  return sequence(
    set(sequence(objectIdentifier(ORGANIZATION), utf8String('Wardline hub (development)'))),
    set(sequence(objectIdentifier(COMMON_NAME), utf8String(commonName))),
  );
}

function ipBytes(address: string): Buffer {
  if (isIP(address) === 4) return Buffer.from(address.split('.').map(Number));
  const [head = '', tail = ''] = address.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return Buffer.concat(
    groups.map((group) => {
      const b = Buffer.alloc(2);
      b.writeUInt16BE(parseInt(group, 16));
      return b;
    }),
  );
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return critical
    ? sequence(objectIdentifier(oid), booleanTrue(), octetString(value))
    : sequence(objectIdentifier(oid), octetString(value));
}

/** Makes a fresh key pair and a certificate for it, valid from an hour ago for `days` days. */
export function createDevCertificate(options: { hostNames?: readonly string[]; now?: Date; days?: number } = {}): TlsMaterial {
  const now = options.now ?? new Date();
  const hosts = [...new Set(['localhost', '127.0.0.1', '::1', ...(options.hostNames ?? [])])];
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const altNames = sequence(...hosts.map((host) => (isIP(host) ? tlv(0x87, ipBytes(host)) : tlv(0x82, Buffer.from(host, 'ascii')))));
  const extensions = sequence(
    extension('2.5.29.19', true, sequence(booleanTrue())), // basicConstraints: CA (it is its own trust anchor)
    extension('2.5.29.15', true, bitString(Buffer.from([0x84]))), // keyUsage: digitalSignature, keyCertSign
    extension('2.5.29.37', false, sequence(objectIdentifier('1.3.6.1.5.5.7.3.1'))), // extKeyUsage: serverAuth
    extension('2.5.29.17', false, altNames), // subjectAltName
  );
  const algorithm = sequence(objectIdentifier(ECDSA_WITH_SHA256));
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  const subject = name('localhost');
  const tbs = sequence(
    contextExplicit(0, smallInteger(2)),
    unsignedInteger(serial),
    algorithm,
    subject,
    sequence(time(new Date(now.getTime() - 3_600_000)), time(new Date(now.getTime() + (options.days ?? 365) * 86_400_000))),
    subject,
    spki,
    contextExplicit(3, extensions),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = sequence(tbs, algorithm, bitString(signature));
  const certPem = `-----BEGIN CERTIFICATE-----\n${der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  // Parse it back: a malformed certificate fails here, not in the first client's handshake.
  const parsed = new X509Certificate(certPem);
  if (!parsed.verify(publicKey) || !parsed.checkPrivateKey(createPrivateKey(keyPem))) {
    throw new Error('The development certificate does not match its key.');
  }
  return { certPem, keyPem };
}
