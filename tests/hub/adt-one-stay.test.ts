// One stay and one bed at a time on the ADT feed (docs/INTEGRATION.md, "One stay, and beds"), sent
// by a third-party HL7 v2 client (node-hl7-client) over MLLP with TLS and read at the hub's FHIR API
// as a ward's device reads it: a second admit (new visit number) of a patient whose stay is in
// progress is refused (AE 205 naming A02, A03 and A11) and changes nothing, so the census lists the
// patient once; a cancel of a discharge that would open a second stay is refused too; an admit into
// an occupied bed is taken, and the bed stays Occupied while anyone is in it, so a bed swap sent in
// either order ends with both beds Occupied, and discharges leave them Unoccupied; a merge (A40) of
// two records each in a stay is refused until the EHR ends one. Synthetic data only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Location } from '../../shared/fhir/index.js';
import { startAdtTestHub, type AdtSendFields, type AdtTestHub } from '../support/adt-test-hub.js';
import type { TestDevice } from '../support/hub-harness.js';
import { hl7Calendar } from '../support/hl7-time.js';

let feed: AdtTestHub;
let device: TestDevice;
const at = hl7Calendar();

const send = (fields: AdtSendFields) => feed.send(fields);

/** The ward's census as a device reads it: MRNs of the patients of its in-progress Encounters, one per Encounter. */
const censusMrns = (): Promise<string[]> => feed.censusMrns();

async function bed(room: string, bedCode: string): Promise<string | undefined> {
  const res = await device.fetch(`/fhir/Location/ward-a-room-${room}-bed-${bedCode}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as Location).operationalStatus?.display;
}

const storeMark = (): Promise<string> => feed.storeMark();

beforeAll(async () => {
  feed = await startAdtTestHub({ seed: 'adt-one-stay', patients: 1, controlPrefix: 'STAY' });
  ({ device } = feed);
}, 120_000);

afterAll(async () => {
  await feed?.close();
});

describe('one stay and one bed at a time over MLLP', () => {
  it('refuses a second admit of a patient in a stay, and keeps a shared bed Occupied until both have left', async () => {
    const [one, two] = ['MRN9600001', 'MRN9600002'];
    expect(await send({ event: 'A01', at: at('080000'), mrn: one, location: 'a^1^A', visit: 'V9600001' })).toMatchObject({ code: 'AA' });
    // Into the same bed: engines do send this (a swap, a late discharge); taken, not refused.
    expect(await send({ event: 'A01', at: at('081000'), mrn: two, location: 'a^1^A', visit: 'V9600002' })).toMatchObject({ code: 'AA' });
    expect(await send({ event: 'A02', at: at('082000'), mrn: one, location: 'a^2^B', visit: 'V9600001' })).toMatchObject({ code: 'AA' });
    expect(await bed('1', 'A')).toBe('Occupied');
    expect(await bed('2', 'B')).toBe('Occupied');

    const before = await storeMark();
    const again = await send({ event: 'A01', at: at('083000'), mrn: one, location: 'a^3^C', visit: 'V9600003' });
    expect(again).toMatchObject({ code: 'AE', condition: '205' });
    expect(again.text).toMatch(/stay in progress.*A02.*A03.*A11/);
    expect(await send({ event: 'A04', at: at('083100'), mrn: one, visit: 'V9600004' })).toMatchObject({ code: 'AE', condition: '205' });
    expect(await storeMark()).toBe(before);
    expect((await censusMrns()).filter((mrn) => mrn === one)).toEqual([one]);

    expect(await send({ event: 'A03', at: at('090000'), mrn: two, visit: 'V9600002' })).toMatchObject({ code: 'AA' });
    expect(await bed('1', 'A')).toBe('Unoccupied');
    expect(await send({ event: 'A03', at: at('090100'), mrn: one, visit: 'V9600001' })).toMatchObject({ code: 'AA' });
    expect(await bed('2', 'B')).toBe('Unoccupied');
  });

  it('ends a bed swap with both beds Occupied, whichever transfer comes first', async () => {
    const [one, two] = ['MRN9600011', 'MRN9600012'];
    expect(await send({ event: 'A01', at: at('100000'), mrn: one, location: 'a^7^A', visit: 'V9600011' })).toMatchObject({ code: 'AA' });
    expect(await send({ event: 'A01', at: at('100100'), mrn: two, location: 'a^7^B', visit: 'V9600012' })).toMatchObject({ code: 'AA' });
    // Swap: one to 7B (still holding two), then two to 7A.
    expect(await send({ event: 'A02', at: at('101000'), mrn: one, location: 'a^7^B', visit: 'V9600011' })).toMatchObject({ code: 'AA' });
    expect(await send({ event: 'A02', at: at('101100'), mrn: two, location: 'a^7^A', visit: 'V9600012' })).toMatchObject({ code: 'AA' });
    expect([await bed('7', 'A'), await bed('7', 'B')]).toEqual(['Occupied', 'Occupied']);
    // And back, the other patient first.
    expect(await send({ event: 'A02', at: at('102000'), mrn: two, location: 'a^7^B', visit: 'V9600012' })).toMatchObject({ code: 'AA' });
    expect(await send({ event: 'A02', at: at('102100'), mrn: one, location: 'a^7^A', visit: 'V9600011' })).toMatchObject({ code: 'AA' });
    expect([await bed('7', 'A'), await bed('7', 'B')]).toEqual(['Occupied', 'Occupied']);
    expect(await censusMrns()).toEqual(expect.arrayContaining([one, two]));
  });

  it('refuses a cancel of a discharge that would open a second stay, changing nothing', async () => {
    const mrn = 'MRN9600021';
    expect(await send({ event: 'A01', at: at('110000'), mrn, location: 'a^8^A', visit: 'V9600021' })).toMatchObject({ code: 'AA' });
    expect(await send({ event: 'A03', at: at('111000'), mrn, visit: 'V9600021' })).toMatchObject({ code: 'AA' });
    expect(await send({ event: 'A01', at: at('112000'), mrn, location: 'a^8^B', visit: 'V9600022' })).toMatchObject({ code: 'AA' });
    const before = await storeMark();
    expect(await send({ event: 'A13', at: at('113000'), mrn, location: 'a^8^A', visit: 'V9600021' })).toMatchObject({
      code: 'AE',
      condition: '205',
    });
    expect(await storeMark()).toBe(before);
    expect((await censusMrns()).filter((m) => m === mrn)).toEqual([mrn]);
  });

  it('refuses a merge of two records each in a stay, changing nothing; once one stay is ended the merge is taken and the census lists the patient once', async () => {
    const [survivor, prior] = ['MRN9600031', 'MRN9600032'];
    const person = { family: 'Twostay', given: 'Robin', birthDate: '19620304' };
    expect(await send({ event: 'A01', at: at('120000'), mrn: survivor, ...person, location: 'a^9^A', visit: 'V9600031' })).toMatchObject({
      code: 'AA',
    });
    expect(await send({ event: 'A01', at: at('120500'), mrn: prior, ...person, location: 'a^9^B', visit: 'V9600032' })).toMatchObject({
      code: 'AA',
    });
    const before = await storeMark();
    const refused = await send({ event: 'A40', at: at('121000'), mrn: survivor, ...person, priorMrn: prior });
    expect(refused).toMatchObject({ code: 'AE', condition: '205' });
    expect(refused.text).toMatch(/each have a stay in progress.*A03.*A11.*A40 again/);
    expect(await storeMark()).toBe(before);
    expect((await censusMrns()).filter((m) => m === survivor || m === prior)).toEqual([survivor, prior]);

    // The EHR cancels the duplicate admission under its own MRN, then sends the merge again.
    expect(await send({ event: 'A11', at: at('121500'), mrn: prior, visit: 'V9600032' })).toMatchObject({ code: 'AA' });
    expect(await send({ event: 'A40', at: at('122000'), mrn: survivor, ...person, priorMrn: prior })).toMatchObject({ code: 'AA' });
    expect((await censusMrns()).filter((m) => m === survivor || m === prior)).toEqual([survivor]);
    expect(await bed('9', 'B')).toBe('Unoccupied');
    expect(await bed('9', 'A')).toBe('Occupied');
  });
});
