// Character sets on the ADT feed: many interface engines send ISO 8859-1 and say so in MSH-18
// (HL7 table 0211), others UTF-8. Through the hub's MLLP listener over TLS, as bytes on the wire:
// a name sent in 8859-1 or 8859-15 with MSH-18 declared is stored as sent, UTF-8 too, and bytes that
// are not valid UTF-8 without a declaration are refused (AR 102) and change nothing, never stored as
// replacement characters. Synthetic data only.
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../shared/fhir/index.js';
import { addFeed, startMllpListener, type MllpListener } from '../../server/integration/index.js';
import { createDevCertificate } from '../../server/tls/index.js';
import { startHub, type TestHub } from '../support/hub-harness.js';
import { adtMessage } from '../support/hl7-sender.js';
import { hl7Calendar } from '../support/hl7-time.js';
import { memoryLogger, seedGeneratedWard } from '../sync/sync-test-kit.js';

let hub: TestHub;
let listener: MllpListener;
let caPem: string;
let secret: string;
/** The events' times: on one day in the past, whatever today is (the hub refuses events ahead of its clock). */
const at = hl7Calendar();

/** One framed message written as raw bytes on a TLS connection; resolves with the ACK's text. */
function sendBytes(message: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: listener.port, ca: caPem }, () =>
      socket.write(Buffer.concat([Buffer.from([0x0b]), message, Buffer.from([0x1c, 0x0d])])),
    );
    let received = '';
    socket.on('data', (data: Buffer) => {
      received += data.toString('utf8');
      if (received.includes('\x1c\r')) {
        socket.destroy();
        resolve(received);
      }
    });
    socket.once('error', reject);
  });
}

/** The characters ISO 8859-15 places where 8859-1 has others (the rest of it is 8859-1). */
const LATIN9: Readonly<Record<string, number>> = { '€': 0xa4, Š: 0xa6, š: 0xa8, Ž: 0xb4, ž: 0xb8, Œ: 0xbc, œ: 0xbd, Ÿ: 0xbe };

/** An A08 with MSH-18 set (or not), its bytes in `encoding`. */
function update(controlId: string, mrn: string, family: string, charset: string, encoding: 'latin1' | 'utf8' | 'latin9'): Buffer {
  const text = adtMessage({ secret, controlId, event: 'A08', at: at('090000'), mrn, family })
    .replace(/^(MSH[^\n]*\|2\.5)/, `$1||||||${charset}`)
    .replace(/\n/g, '\r');
  if (encoding !== 'latin9') return Buffer.from(text, encoding);
  return Buffer.from([...text].map((char) => LATIN9[char] ?? char.charCodeAt(0)));
}

async function familyOf(mrn: string): Promise<string | undefined> {
  const rows = await hub.db.query<{ content: string }>(
    `SELECT CAST(r.content AS TEXT) AS content FROM fhir_resources r JOIN fhir_tokens t ON t.res_type = r.res_type AND t.res_id = r.res_id
     WHERE r.res_type = 'Patient' AND t.param = 'identifier' AND t.value = $1`,
    [mrn],
  );
  return rows[0] ? (JSON.parse(rows[0].content) as Patient).name?.[0]?.family : undefined;
}

const storeMark = async (): Promise<string> => {
  const rows = await hub.db.query<{ n: number; top: number | null }>('SELECT COUNT(*) AS n, MAX(seq) AS top FROM fhir_versions');
  return `${rows[0]!.n}/${rows[0]!.top}`;
};

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite' });
  await seedGeneratedWard(hub.db, 'a', { seed: 'adt-charsets', patients: 1, days: 1 });
  ({ secret } = await addFeed(hub.db, { name: 'ehr', application: 'EHR', facility: 'GENERAL' }, new Date()));
  const tls = createDevCertificate();
  caPem = tls.certPem;
  listener = await startMllpListener({ db: hub.db, logger: memoryLogger().logger, port: 0, host: '127.0.0.1', tls });
}, 120_000);

afterAll(async () => {
  await listener?.close();
  await hub?.stop();
});

describe('ADT character sets (MSH-18)', () => {
  it('stores a name sent in ISO 8859-1 as sent when MSH-18 says 8859/1', async () => {
    const ack = await sendBytes(update('CS-1', 'MRN6600001', 'Müller-Lüdenscheidt', '8859/1', 'latin1'));
    expect(ack).toMatch(/\rMSA\|AA\|CS-1/);
    expect(await familyOf('MRN6600001')).toBe('Müller-Lüdenscheidt');
  });

  it('stores a name sent in ISO 8859-15 as sent when MSH-18 says 8859/15', async () => {
    const ack = await sendBytes(update('CS-2', 'MRN6600002', 'Œuvré-Štastná€', '8859/15', 'latin9'));
    expect(ack).toMatch(/\rMSA\|AA\|CS-2/);
    expect(await familyOf('MRN6600002')).toBe('Œuvré-Štastná€');
  });

  it('stores UTF-8 as sent, declared or not', async () => {
    expect(await sendBytes(update('CS-3', 'MRN6600003', 'Ærøskøbing', 'UNICODE UTF-8', 'utf8'))).toMatch(/\rMSA\|AA\|CS-3/);
    expect(await familyOf('MRN6600003')).toBe('Ærøskøbing');
    expect(await sendBytes(update('CS-4', 'MRN6600004', 'Dvořák', '', 'utf8'))).toMatch(/\rMSA\|AA\|CS-4/);
    expect(await familyOf('MRN6600004')).toBe('Dvořák');
  });

  it('refuses 8859-1 bytes sent without MSH-18 (AR 102) and changes nothing', async () => {
    const before = await storeMark();
    const ack = await sendBytes(update('CS-5', 'MRN6600005', 'Müller', '', 'latin1'));
    expect(ack).toMatch(/\rMSA\|AR\|CS-5\|[^\r]*MSH-18/);
    expect(ack).toMatch(/\rERR\|[^\r]*\|102\^/);
    expect(await familyOf('MRN6600005')).toBeUndefined();
    expect(await storeMark()).toBe(before);
  });
});
