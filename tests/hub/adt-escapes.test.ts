// HL7 escape sequences on the ADT feed (docs/INTEGRATION.md, "Messages"): sent by a third-party HL7
// v2 client (node-hl7-client) over MLLP with TLS, a name written with \T\ \F\ \S\ \E\ arrives at the
// hub's FHIR API as the text it stands for, and a ward code whose escape decodes to a delimiter is
// refused (AR 102) and changes nothing. Synthetic data only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Patient } from '../../shared/fhir/index.js';
import { startAdtTestHub, type AdtSendFields, type AdtTestHub } from '../support/adt-test-hub.js';
import type { TestDevice } from '../support/hub-harness.js';
import { hl7Calendar } from '../support/hl7-time.js';

let feed: AdtTestHub;
let device: TestDevice;
const at = hl7Calendar();

const send = (fields: AdtSendFields) => feed.send(fields);

async function patientByMrn(mrn: string): Promise<Patient | undefined> {
  const res = await device.fetch(`/fhir/Patient?identifier=urn:wardline:mrn|${mrn}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as Bundle).entry?.[0]?.resource as Patient | undefined;
}

const storeMark = (): Promise<string> => feed.storeMark();

beforeAll(async () => {
  feed = await startAdtTestHub({ seed: 'adt-escapes', patients: 1, controlPrefix: 'ESC' });
  ({ device } = feed);
}, 120_000);

afterAll(async () => {
  await feed?.close();
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
