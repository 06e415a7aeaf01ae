// HL7 escape sequences on the ADT feed (docs/INTEGRATION.md, "Messages"): sent by a third-party HL7
// v2 client (node-hl7-client) over MLLP with TLS, a name written with \T\ \F\ \S\ \E\ arrives at the
// hub's FHIR API as the text it stands for, and a ward code whose escape decodes to a delimiter is
// refused (AR 102) and changes nothing. Synthetic data only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Patient } from '../../shared/fhir/index.js';
import { addFeed, startMllpListener, type MllpListener } from '../../server/integration/index.js';
import { createDevCertificate } from '../../server/tls/index.js';
import { startHub, type TestDevice, type TestHub } from '../support/hub-harness.js';
import { adtMessage, openHl7Sender, type AdtFields, type Hl7Sender } from '../support/hl7-sender.js';
import { hl7Calendar } from '../support/hl7-time.js';
import { memoryLogger, seedGeneratedWard } from '../sync/sync-test-kit.js';

let hub: TestHub;
let listener: MllpListener;
let sender: Hl7Sender;
let device: TestDevice;
let secret: string;
let sequence = 0;
const at = hl7Calendar();

const send = (fields: Omit<AdtFields, 'secret' | 'controlId'>) =>
  sender.send(adtMessage({ secret, controlId: `ESC${++sequence}`, ...fields }));

async function patientByMrn(mrn: string): Promise<Patient | undefined> {
  const res = await device.fetch(`/fhir/Patient?identifier=urn:wardline:mrn|${mrn}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as Bundle).entry?.[0]?.resource as Patient | undefined;
}

const storeMark = async (): Promise<string> => {
  const rows = await hub.db.query<{ n: number; top: number | null }>('SELECT COUNT(*) AS n, MAX(seq) AS top FROM fhir_versions');
  return `${rows[0]!.n}/${rows[0]!.top}`;
};

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite' });
  await seedGeneratedWard(hub.db, 'a', { seed: 'adt-escapes', patients: 1, days: 1 });
  ({ secret } = await addFeed(hub.db, { name: 'ehr', application: 'EHR', facility: 'GENERAL' }, new Date()));
  const tls = createDevCertificate();
  listener = await startMllpListener({ db: hub.db, logger: memoryLogger().logger, port: 0, host: '127.0.0.1', tls });
  sender = await openHl7Sender({ port: listener.port, caPem: tls.certPem });
  device = await hub.enrollDevice('a');
}, 120_000);

afterAll(async () => {
  await sender?.close();
  await listener?.close();
  await hub?.stop();
});

describe('HL7 escape sequences over MLLP', () => {
  it('stores a name sent with escapes as the text it stands for', async () => {
    const mrn = 'MRN9500001';
    expect(await send({ event: 'A01', at: at('080000'), mrn, family: 'Plain', location: 'a^5^1', visit: 'V9500001' })).toMatchObject({
      code: 'AA',
    });
    const ack = await send({ event: 'A08', at: at('090000'), mrn, family: 'O\\T\\Brien\\F\\X\\S\\Y\\E\\Z', given: 'Ann\\.br\\Marie' });
    expect(ack.code).toBe('AA');
    const patient = await patientByMrn(mrn);
    expect(patient?.name?.[0]).toMatchObject({ family: 'O&Brien|X^Y\\Z', given: ['Ann Marie'] });
  });

  it('refuses (AR 102) a ward code whose escape decodes to a delimiter, changing nothing', async () => {
    const before = await storeMark();
    const ack = await send({ event: 'A01', at: at('100000'), mrn: 'MRN9500002', location: 'a\\S\\b^5^2', visit: 'V9500002' });
    expect(ack).toMatchObject({ code: 'AR', condition: '102' });
    expect(ack.text).toMatch(/PV1-3 \(ward\) holds an escape sequence/);
    expect(await storeMark()).toBe(before);
  });
});
