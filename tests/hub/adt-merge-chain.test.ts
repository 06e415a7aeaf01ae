// Patients merged again and again (docs/INTEGRATION.md "Merge (A40)"): a third-party HL7 client
// (node-hl7-client) over MLLP with TLS merges a record seven times over (A40s, each survivor merged in
// turn); an admit, a transfer, an update and a discharge naming the first MRN then reach the last
// survivor, which keeps its own MRN and takes the demographics, as the hub's FHIR API shows; the
// records on the way are not touched. Records merged into each other in a circle (a chain with no
// end) get an AE with the reason and change nothing. Both engines. Synthetic patients only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Encounter, Patient } from '../../shared/fhir/index.js';
import { putResources } from '../../server/fhir/index.js';
import { addFeed, startMllpListener, type MllpListener } from '../../server/integration/index.js';
import { createDevCertificate } from '../../server/tls/index.js';
import { startHub, type TestDevice, type TestHub } from '../support/hub-harness.js';
import { hl7Calendar } from '../support/hl7-time.js';
import { adtMessage, openHl7Sender, type AdtFields, type Hl7Sender } from '../support/hl7-sender.js';
import { memoryLogger, seedGeneratedWard } from '../sync/sync-test-kit.js';

const MRN = 'urn:wardline:mrn';

for (const engineName of ['sqlite', 'postgres'] as const) {
  describe(`ADT merge chains (${engineName})`, () => {
    let hub: TestHub;
    let listener: MllpListener;
    let sender: Hl7Sender;
    let secret: string;
    const devices: Record<'a' | 'b', TestDevice> = {} as never;
    const at = hl7Calendar();
    let sequence = 0;

    const send = (fields: Omit<AdtFields, 'secret' | 'controlId'>) =>
      sender.send(adtMessage({ secret, controlId: `CHAIN${++sequence}`, ...fields }));

    /** The newest version sequence and the number of versions: unchanged means nothing was written. */
    const storeMark = async (): Promise<string> => {
      const rows = await hub.db.query<{ n: number; top: number | null }>('SELECT COUNT(*) AS n, MAX(seq) AS top FROM fhir_versions');
      return `${rows[0]!.n}/${rows[0]!.top}`;
    };

    /** The patient records carrying the MRN, as stored (merged-away ones included). */
    const recordsOfMrn = async (mrn: string): Promise<Patient[]> => {
      const rows = await hub.db.query<{ content: string }>(
        `SELECT CAST(r.content AS TEXT) AS content FROM fhir_resources r JOIN fhir_tokens t ON t.res_type = r.res_type AND t.res_id = r.res_id
         WHERE r.res_type = 'Patient' AND t.param = 'identifier' AND t.value = $1`,
        [mrn],
      );
      return rows.map((row) => JSON.parse(row.content) as Patient);
    };

    /** The ward's census at the hub's FHIR API, as its workstation queries it. */
    const census = async (ward: 'a' | 'b'): Promise<{ encounters: Encounter[]; patients: Patient[] }> => {
      const res = await devices[ward].fetch(
        `/fhir/Encounter?location=Location/ward-${ward}&status=in-progress&_include=Encounter:patient&_count=200`,
      );
      expect(res.status).toBe(200);
      const resources = ((await res.json()) as Bundle).entry?.map((entry) => entry.resource!) ?? [];
      return {
        encounters: resources.filter((r): r is Encounter => r.resourceType === 'Encounter'),
        patients: resources.filter((r): r is Patient => r.resourceType === 'Patient'),
      };
    };

    beforeAll(async () => {
      hub = await startHub({ engine: engineName });
      await seedGeneratedWard(hub.db, 'a', { seed: `adt-chain-${engineName}-a`, patients: 1, days: 1 });
      await seedGeneratedWard(hub.db, 'b', { seed: `adt-chain-${engineName}-b`, patients: 1, days: 1 });
      ({ secret } = await addFeed(hub.db, { name: 'ehr', application: 'EHR', facility: 'GENERAL' }, new Date()));
      const tls = createDevCertificate();
      listener = await startMllpListener({ db: hub.db, logger: memoryLogger().logger, port: 0, host: '127.0.0.1', tls });
      sender = await openHl7Sender({ port: listener.port, caPem: tls.certPem });
      devices.a = await hub.enrollDevice('a');
      devices.b = await hub.enrollDevice('b');
    }, 120_000);

    afterAll(async () => {
      await sender?.close();
      await listener?.close();
      await hub?.stop();
    });

    it('follows a chain of seven merges: an admit, transfer, update and discharge naming the first MRN reach the last survivor, which keeps its own MRN', async () => {
      const mrn = (k: number) => `MRN96000${k}`;
      const person = { family: 'Kettenson', birthDate: '19580407' };
      expect((await send({ event: 'A01', at: at('080000'), mrn: mrn(0), ...person, location: 'a^31^1', visit: 'V9600000' })).code).toBe(
        'AA',
      );
      for (let k = 1; k <= 7; k++) {
        expect((await send({ event: 'A08', at: at(`080${k}00`), mrn: mrn(k), ...person })).code).toBe('AA');
      }
      for (let k = 1; k <= 7; k++) {
        const merge = await send({ event: 'A40', at: at(`090${k}00`), mrn: mrn(k), ...person, priorMrn: mrn(k - 1) });
        expect(merge, merge.raw).toMatchObject({ code: 'AA' });
      }
      const [first] = await recordsOfMrn(mrn(0));
      const [last] = await recordsOfMrn(mrn(7));
      expect(first!.link).toHaveLength(1);
      expect(last!.link?.map((link) => link.type)).toEqual(['replaces']);
      const survivor = last!.id!;
      const onTheWay = await Promise.all([0, 1, 2, 3, 4, 5, 6].map(async (k) => (await recordsOfMrn(mrn(k)))[0]!));
      for (const record of onTheWay) expect(record.active).toBe(false);
      const versionsOnTheWay = async () =>
        Number(
          (
            await hub.db.query<{ n: number }>(
              `SELECT COUNT(*) AS n FROM fhir_versions WHERE res_type = 'Patient' AND res_id IN (${onTheWay.map((_, i) => `$${i + 1}`).join(', ')})`,
              onTheWay.map((record) => record.id!),
            )
          )[0]!.n,
        );
      const before = await versionsOnTheWay();

      // The stay admitted under the first MRN moved along the chain; a transfer naming that MRN moves it.
      const transfer = await send({ event: 'A02', at: at('100000'), mrn: mrn(0), location: 'b^32^1', visit: 'V9600000' });
      expect(transfer, transfer.raw).toMatchObject({ code: 'AA' });
      const onB = await census('b');
      const stay = onB.encounters.find((e) => e.identifier?.some((i) => i.value === 'V9600000'))!;
      expect(stay.subject?.reference).toBe(`Patient/${survivor}`);
      expect((await census('a')).encounters.some((e) => e.identifier?.some((i) => i.value === 'V9600000'))).toBe(false);

      // An update naming the first MRN: the demographics go to the survivor, which keeps its own MRN.
      const update = await send({
        event: 'A08',
        at: at('110000'),
        mrn: mrn(0),
        family: 'Neukette',
        given: 'Robin',
        birthDate: '19580408',
        sex: 'F',
      });
      expect(update, update.raw).toMatchObject({ code: 'AA' });
      const shown = (await census('b')).patients.find((p) => p.id === survivor)!;
      expect(shown.name?.[0]).toMatchObject({ family: 'Neukette', given: ['Robin'] });
      expect(shown).toMatchObject({ birthDate: '1958-04-08', gender: 'female' });
      expect(shown.identifier?.filter((i) => i.system === MRN).map((i) => i.value)).toEqual([mrn(7)]);

      // A discharge naming the first MRN ends the survivor's stay; a second stay admitted under the
      // first MRN is the survivor's (one stay at a time: after the first one's discharge).
      const discharge = await send({ event: 'A03', at: at('113000'), mrn: mrn(0), visit: 'V9600000' });
      expect(discharge, discharge.raw).toMatchObject({ code: 'AA' });
      expect((await census('b')).encounters.some((e) => e.identifier?.some((i) => i.value === 'V9600000'))).toBe(false);
      const admit = await send({ event: 'A01', at: at('120000'), mrn: mrn(0), family: 'Neukette', location: 'a^33^1', visit: 'V9600001' });
      expect(admit, admit.raw).toMatchObject({ code: 'AA' });
      const second = (await census('a')).encounters.find((e) => e.identifier?.some((i) => i.value === 'V9600001'))!;
      expect(second.subject?.reference).toBe(`Patient/${survivor}`);

      // The survivor still carries its own MRN only; no record was created for the first MRN; the
      // records on the way were not touched.
      const [survivorNow] = await recordsOfMrn(mrn(7));
      expect(survivorNow!.identifier?.filter((i) => i.system === MRN).map((i) => i.value)).toEqual([mrn(7)]);
      expect((await recordsOfMrn(mrn(0))).map((p) => p.id)).toEqual([first!.id]);
      expect(await versionsOnTheWay()).toBe(before);
    });

    it('refuses an event naming records merged into each other in a circle (AE 205 with the reason), changing nothing', async () => {
      const person = { family: 'Kreisel', birthDate: '19620509' };
      expect((await send({ event: 'A08', at: at('080000'), mrn: 'MRN9610001', ...person })).code).toBe('AA');
      expect((await send({ event: 'A08', at: at('080100'), mrn: 'MRN9610002', ...person })).code).toBe('AA');
      // Links the feed would never write (it refuses to merge a record already merged), as records
      // given to the hub otherwise may carry them: each record merged into the other.
      const [one] = await recordsOfMrn('MRN9610001');
      const [two] = await recordsOfMrn('MRN9610002');
      const mergedInto = (record: Patient, other: Patient): Patient => {
        const { meta: _meta, ...rest } = record;
        return { ...rest, active: false, link: [{ other: { reference: `Patient/${other.id}` }, type: 'replaced-by' }] };
      };
      await putResources(hub.db, [mergedInto(one!, two!), mergedInto(two!, one!)], new Date());

      const before = await storeMark();
      const refusals = [
        await send({ event: 'A08', at: at('090000'), mrn: 'MRN9610001', family: 'Kreiselova' }),
        await send({ event: 'A01', at: at('090100'), mrn: 'MRN9610002', location: 'a^34^1', visit: 'V9610001' }),
        await send({ event: 'A02', at: at('090200'), mrn: 'MRN9610001', location: 'b^34^1', visit: 'V9610001' }),
      ];
      for (const ack of refusals) {
        expect(ack, ack.raw).toMatchObject({ code: 'AE', condition: '205' });
        expect(ack.text).toMatch(/merged into each other in a circle/);
      }
      expect(await storeMark()).toBe(before);
      const keys = await hub.db.query(`SELECT control_id FROM adt_messages WHERE control_id IN ($1, $2, $3)`, [
        `CHAIN${sequence - 2}`,
        `CHAIN${sequence - 1}`,
        `CHAIN${sequence}`,
      ]);
      expect(keys).toEqual([]);
    });
  });
}
