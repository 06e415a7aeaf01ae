// The HL7 v2 ADT feed, end to end: a third-party HL7 client (node-hl7-client) sends admits,
// transfers, discharges, cancels and merges over MLLP with TLS; each shows at the hub's FHIR API
// (the census query workstations use) and on the affected workstations after their next sync.
// Malformed messages, unknown wards, out-of-order events, repeats and strangers get the ACK the
// docs promise and change nothing. Both engines. Synthetic patients only.
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Encounter, Patient } from '../../shared/fhir/index.js';
import { putResources } from '../../server/fhir/index.js';
import { addFeed, revokeFeed, startMllpListener, type MllpListener } from '../../server/integration/index.js';
import { createDevCertificate } from '../../server/tls/index.js';
import { startHub, type TestDevice, type TestHub } from '../support/hub-harness.js';
import { adtMessage, openHl7Sender, type AdtFields, type Hl7Sender } from '../support/hl7-sender.js';
import { hl7Calendar } from '../support/hl7-time.js';
import type { Vault } from '../../electron/vault/index.js';
import type { SyncEngine } from '../../electron/sync/index.js';
import { enrollTestWorkstation, memoryLogger, seedGeneratedWard, type TestWorkstation } from '../sync/sync-test-kit.js';

interface Station {
  readonly station: TestWorkstation;
  readonly vault: Vault;
  readonly engine: SyncEngine;
  readonly device: TestDevice;
}

for (const engineName of ['sqlite', 'postgres'] as const) {
  describe(`ADT over MLLP into the hub (${engineName})`, () => {
    let hub: TestHub;
    let listener: MllpListener;
    let sender: Hl7Sender;
    let secret: string;
    let caPem: string;
    let hubLog: () => string;
    const stations: Record<'a' | 'b', Station> = {} as never;
    let sequence = 0;
    /** The events' times: on one day in the past, whatever today is (the hub refuses events ahead of its clock). */
    const at = hl7Calendar();

    const send = (fields: Omit<AdtFields, 'secret' | 'controlId'> & { controlId?: string; secret?: string }) =>
      sender.send(adtMessage({ secret, controlId: fields.controlId ?? `CTL${++sequence}`, ...fields }));

    /** The newest version sequence and the number of versions: unchanged means nothing was written. */
    const storeMark = async (): Promise<string> => {
      const rows = await hub.db.query<{ n: number; top: number | null }>('SELECT COUNT(*) AS n, MAX(seq) AS top FROM fhir_versions');
      return `${rows[0]!.n}/${rows[0]!.top}`;
    };

    /** The ward's census as the hub serves it to that ward's workstation (the wire protocol's query). */
    const census = async (ward: 'a' | 'b'): Promise<{ encounters: Encounter[]; patients: Patient[] }> => {
      const res = await stations[ward].device.fetch(
        `/fhir/Encounter?location=Location/ward-${ward}&status=in-progress&_include=Encounter:patient&_count=200`,
      );
      expect(res.status).toBe(200);
      const bundle = (await res.json()) as Bundle;
      const resources = (bundle.entry ?? []).map((entry) => entry.resource!);
      return {
        encounters: resources.filter((r): r is Encounter => r.resourceType === 'Encounter'),
        patients: resources.filter((r): r is Patient => r.resourceType === 'Patient'),
      };
    };

    const patientIdOfMrn = async (ward: 'a' | 'b', mrn: string): Promise<string | undefined> =>
      (await census(ward)).patients.find((p) => p.identifier?.some((i) => i.value === mrn))?.id;

    const synced = async (ward: 'a' | 'b'): Promise<string[]> => {
      await stations[ward].engine.syncOnce();
      return stations[ward].vault.census().map((entry) => entry.patientId);
    };

    beforeAll(async () => {
      hub = await startHub({ engine: engineName });
      await seedGeneratedWard(hub.db, 'a', { seed: `adt-${engineName}-a`, patients: 2, days: 1 });
      await seedGeneratedWard(hub.db, 'b', { seed: `adt-${engineName}-b`, patients: 2, days: 1 });
      ({ secret } = await addFeed(hub.db, { name: 'ehr', application: 'EHR', facility: 'GENERAL' }, new Date()));
      const tls = createDevCertificate();
      caPem = tls.certPem;
      const log = memoryLogger();
      hubLog = log.text;
      listener = await startMllpListener({ db: hub.db, logger: log.logger, port: 0, host: '127.0.0.1', tls });
      sender = await openHl7Sender({ port: listener.port, caPem });
      for (const ward of ['a', 'b'] as const) {
        const station = await enrollTestWorkstation(hub, ward);
        const vault = await station.openVault();
        const engine = station.engine(vault, { pageSize: 100 });
        await engine.syncOnce();
        stations[ward] = { station, vault, engine, device: await hub.enrollDevice(ward) };
      }
    }, 120_000);

    afterAll(async () => {
      await sender?.close();
      await listener?.close();
      for (const ward of ['a', 'b'] as const) {
        await stations[ward]?.engine.close();
        stations[ward]?.vault.close();
        await stations[ward]?.station.remove();
      }
      await hub?.stop();
    });

    it('admits a patient (A01): on the hub ward census at once, and on the ward workstation after its next sync', async () => {
      const ack = await send({
        event: 'A01',
        at: at('081000'),
        mrn: 'MRN9000001',
        family: 'Admitova',
        location: 'a^12^1',
        visit: 'V9000001',
      });
      expect(ack).toMatchObject({ code: 'AA', controlId: `CTL${sequence}` });
      const id = await patientIdOfMrn('a', 'MRN9000001');
      expect(id).toBeDefined();
      const encounter = (await census('a')).encounters.find((e) => e.subject?.reference === `Patient/${id}`)!;
      expect(encounter.identifier?.[0]?.value).toBe('V9000001');
      expect(encounter.location?.map((l) => l.location?.reference)).toEqual(['Location/ward-a', 'Location/ward-a-room-12-bed-1']);
      expect(await synced('a')).toContain(id);
    });

    it('transfers the patient to another ward (A02): purged from the old ward cache, loaded on the new one', async () => {
      const id = (await patientIdOfMrn('a', 'MRN9000001'))!;
      const ack = await send({ event: 'A02', at: at('091000'), mrn: 'MRN9000001', location: 'b^3^2', visit: 'V9000001' });
      expect(ack.code).toBe('AA');
      expect(await patientIdOfMrn('a', 'MRN9000001')).toBeUndefined();
      expect(await patientIdOfMrn('b', 'MRN9000001')).toBe(id);
      expect(await synced('a')).not.toContain(id);
      expect(stations.a.vault.resources.read('Patient', id)).toBeNull();
      expect(await synced('b')).toContain(id);
    });

    it('cancels the transfer (A12): the patient is back on the first ward, and a repeat transfer moves them again', async () => {
      const id = (await patientIdOfMrn('b', 'MRN9000001'))!;
      expect((await send({ event: 'A12', at: at('093000'), mrn: 'MRN9000001', location: 'a^12^1', visit: 'V9000001' })).code).toBe('AA');
      expect(await patientIdOfMrn('a', 'MRN9000001')).toBe(id);
      expect(await patientIdOfMrn('b', 'MRN9000001')).toBeUndefined();
      expect(await synced('b')).not.toContain(id);
      expect(await synced('a')).toContain(id);
      expect((await send({ event: 'A02', at: at('100000'), mrn: 'MRN9000001', location: 'b^3^2', visit: 'V9000001' })).code).toBe('AA');
      expect(await patientIdOfMrn('b', 'MRN9000001')).toBe(id);
    });

    it('discharges the patient (A03), and a cancelled discharge (A13) brings them back', async () => {
      const id = (await patientIdOfMrn('b', 'MRN9000001'))!;
      expect(await synced('b')).toContain(id);
      expect((await send({ event: 'A03', at: at('120000'), mrn: 'MRN9000001', location: 'b^3^2', visit: 'V9000001' })).code).toBe('AA');
      expect(await patientIdOfMrn('b', 'MRN9000001')).toBeUndefined();
      expect(await synced('b')).not.toContain(id);
      expect(stations.b.vault.resources.read('Patient', id)).toBeNull();
      expect((await send({ event: 'A13', at: at('121000'), mrn: 'MRN9000001', location: 'b^3^2', visit: 'V9000001' })).code).toBe('AA');
      expect(await patientIdOfMrn('b', 'MRN9000001')).toBe(id);
      expect(await synced('b')).toContain(id);
    });

    it('cancels an admission (A11): the patient leaves the census and the cache', async () => {
      expect((await send({ event: 'A01', at: at('081000'), mrn: 'MRN9000002', location: 'a^14^1', visit: 'V9000002' })).code).toBe('AA');
      const id = (await patientIdOfMrn('a', 'MRN9000002'))!;
      expect(await synced('a')).toContain(id);
      expect((await send({ event: 'A11', at: at('082000'), mrn: 'MRN9000002', location: 'a^14^1', visit: 'V9000002' })).code).toBe('AA');
      expect(await patientIdOfMrn('a', 'MRN9000002')).toBeUndefined();
      expect(await synced('a')).not.toContain(id);
    });

    it('keys visit numbers by their assigning authority: the same number from two facilities is two visits', async () => {
      // Two facilities of the same group number their visits independently; both send V4242 today.
      const north = { mrn: 'MRN9000010', visit: 'V4242^^^NORTHSITE' };
      const south = { mrn: 'MRN9000011', visit: 'V4242^^^SOUTHSITE&2.16.840.1.113883.19.5&ISO' };
      expect((await send({ event: 'A01', at: at('070000'), location: 'a^20^1', ...north })).code).toBe('AA');
      expect((await send({ event: 'A01', at: at('070500'), location: 'b^20^1', ...south })).code).toBe('AA');
      const northId = (await patientIdOfMrn('a', north.mrn))!;
      const southId = (await patientIdOfMrn('b', south.mrn))!;
      const northVisit = (await census('a')).encounters.find((e) => e.subject?.reference === `Patient/${northId}`)!;
      const southVisit = (await census('b')).encounters.find((e) => e.subject?.reference === `Patient/${southId}`)!;
      expect(northVisit.id).not.toBe(southVisit.id);
      expect(northVisit.identifier).toEqual([{ use: 'official', system: 'urn:wardline:visit-number:NORTHSITE', value: 'V4242' }]);
      expect(southVisit.identifier).toEqual([{ use: 'official', system: 'urn:wardline:visit-number:SOUTHSITE', value: 'V4242' }]);
      // A discharge of the south visit discharges that one only.
      expect((await send({ event: 'A03', at: at('080000'), location: 'b^20^1', ...south })).code).toBe('AA');
      expect(await patientIdOfMrn('b', south.mrn)).toBeUndefined();
      expect(await patientIdOfMrn('a', north.mrn)).toBe(northId);
      // A transfer naming the number under the other authority finds no visit of this patient there.
      const wrong = await send({ event: 'A02', at: at('090000'), mrn: north.mrn, location: 'b^21^1', visit: 'V4242^^^SOUTHSITE' });
      expect(wrong.code).toBe('AE');
      expect(await patientIdOfMrn('a', north.mrn)).toBe(northId);
      // Without CX-4 the visit number is the sending facility's (MSH-4).
      expect((await send({ event: 'A01', at: at('070000'), mrn: 'MRN9000012', location: 'a^22^1', visit: 'V4242' })).code).toBe('AA');
      const plainId = (await patientIdOfMrn('a', 'MRN9000012'))!;
      const plainVisit = (await census('a')).encounters.find((e) => e.subject?.reference === `Patient/${plainId}`)!;
      expect(plainVisit.identifier?.[0]?.system).toBe('urn:wardline:visit-number:GENERAL');
    });

    it('merges a duplicate record (A40): the admission and chart move to the surviving patient, on the hub and the workstation', async () => {
      // The prior record: admitted on ward A. The survivor: registered (A08) without an admission.
      expect(
        (
          await send({
            event: 'A01',
            at: at('081000'),
            mrn: 'MRN9000003',
            family: 'Mergeson',
            birthDate: '19610203',
            location: 'a^15^1',
            visit: 'V9000003',
          })
        ).code,
      ).toBe('AA');
      expect((await send({ event: 'A08', at: at('081500'), mrn: 'MRN9000004', family: 'Mergeson', birthDate: '19610302' })).code).toBe(
        'AA',
      );
      const prior = (await patientIdOfMrn('a', 'MRN9000003'))!;
      expect(await synced('a')).toContain(prior);
      const ack = await send({
        event: 'A40',
        at: at('090000'),
        mrn: 'MRN9000004',
        family: 'Mergeson',
        birthDate: '19610302',
        priorMrn: 'MRN9000003',
      });
      expect(ack, ack.raw).toMatchObject({ code: 'AA' });
      const survivor = (await patientIdOfMrn('a', 'MRN9000004'))!;
      expect(survivor).toBeDefined();
      expect(survivor).not.toBe(prior);
      expect(await patientIdOfMrn('a', 'MRN9000003')).toBeUndefined();
      const census = await synced('a');
      expect(census).toContain(survivor);
      expect(census).not.toContain(prior);
      expect(stations.a.vault.resources.read('Patient', prior)).toBeNull();
      const priorRows = await hub.db.query<{ content: string }>(
        `SELECT CAST(content AS TEXT) AS content FROM fhir_resources WHERE res_type = 'Patient' AND res_id = $1`,
        [prior],
      );
      const priorNow = JSON.parse(priorRows[0]!.content) as Patient;
      expect(priorNow.active).toBe(false);
      expect(priorNow.link).toEqual([{ other: { reference: `Patient/${survivor}` }, type: 'replaced-by' }]);
      // Nothing of the chart still points at the merged-away record.
      const left = await hub.db.query(
        `SELECT res_type FROM fhir_resources WHERE patient_id = $1 AND res_type <> 'Patient' AND deleted = 0`,
        [prior],
      );
      expect(left).toEqual([]);
      // A later message naming the old MRN reaches the survivor.
      expect((await send({ event: 'A02', at: at('100000'), mrn: 'MRN9000003', location: 'a^16^1', visit: 'V9000003' })).code).toBe('AA');
      expect(await patientIdOfMrn('a', 'MRN9000004')).toBe(survivor);
    });

    it('refuses an A40 with PID and MRG swapped (AE), merging nothing', async () => {
      const before = await storeMark();
      const swappedAfterMerge = await send({
        event: 'A40',
        at: at('110000'),
        mrn: 'MRN9000003',
        family: 'Mergeson',
        birthDate: '19610203',
        priorMrn: 'MRN9000004',
      });
      expect(swappedAfterMerge).toMatchObject({ code: 'AE' });
      expect(swappedAfterMerge.text).toMatch(/swapped/);
      // A fresh pair sent swapped: PID-3 names the survivor but PID carries the prior patient's demographics.
      expect((await send({ event: 'A08', at: at('081000'), mrn: 'MRN9000005', family: 'Swapley', birthDate: '19700101' })).code).toBe('AA');
      expect((await send({ event: 'A08', at: at('081000'), mrn: 'MRN9000006', family: 'Swapley', birthDate: '19800101' })).code).toBe('AA');
      const middle = await storeMark();
      expect(middle).not.toBe(before);
      const swapped = await send({
        event: 'A40',
        at: at('090000'),
        mrn: 'MRN9000006',
        family: 'Swapley',
        birthDate: '19700101',
        priorMrn: 'MRN9000005',
      });
      expect(swapped.code).toBe('AE');
      expect(swapped.text).toMatch(/swapped/);
      expect(await storeMark()).toBe(middle);
    });

    it('acknowledges a repeated message again and applies it once; the same control id with other content is a new message', async () => {
      const fields = { event: 'A08', at: at('130000'), mrn: 'MRN9000001', family: 'Repeatova', controlId: 'REUSED-1' } as const;
      expect((await send(fields)).code).toBe('AA');
      const after = await storeMark();
      const again = await send(fields);
      expect(again).toMatchObject({ code: 'AA', controlId: 'REUSED-1' });
      expect(again.text).toMatch(/Already applied/);
      expect(await storeMark()).toBe(after);
      expect((await send({ ...fields, at: at('130100'), family: 'Renamova' })).code).toBe('AA');
      expect(await storeMark()).not.toBe(after);
    });

    it("keeps a chart's security label (restricted) when the feed updates the patient", async () => {
      expect((await send({ event: 'A08', at: at('140000'), mrn: 'MRN9000030', family: 'Labelova' })).code).toBe('AA');
      const readPatient = async (): Promise<Patient> => {
        const rows = await hub.db.query<{ content: string }>(
          `SELECT CAST(r.content AS TEXT) AS content FROM fhir_resources r JOIN fhir_tokens t ON t.res_type = r.res_type AND t.res_id = r.res_id
           WHERE r.res_type = 'Patient' AND t.param = 'identifier' AND t.value = 'MRN9000030'`,
        );
        return JSON.parse(rows[0]!.content) as Patient;
      };
      const label = { system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' };
      const { meta: _meta, ...stored } = await readPatient();
      await putResources(hub.db, [{ ...stored, meta: { security: [label] } } as Patient], new Date());
      expect((await send({ event: 'A08', at: at('140100'), mrn: 'MRN9000030', family: 'Relabelova' })).code).toBe('AA');
      const updated = await readPatient();
      expect(updated.name?.[0]?.family).toBe('Relabelova');
      expect(updated.meta?.security).toEqual([label]);
    });

    it('refuses malformed messages with AR and changes nothing', async () => {
      const before = await storeMark();
      const noVisit = await send({ event: 'A01', at: at('081000'), mrn: 'MRN9000010', location: 'a^1^1' });
      expect(noVisit).toMatchObject({ code: 'AR', condition: '101' });
      const badDate = await send({ event: 'A01', at: '2026-01-15', mrn: 'MRN9000010', location: 'a^1^1', visit: 'V9000010' });
      expect(badDate).toMatchObject({ code: 'AR', condition: '102' });
      const unsupported = await send({ event: 'A05', at: at('081000'), mrn: 'MRN9000010', location: 'a^1^1', visit: 'V9000010' });
      expect(unsupported).toMatchObject({ code: 'AR', condition: '201' });
      const badWard = await send({ event: 'A01', at: at('081000'), mrn: 'MRN9000010', location: "a';DROP^1^1", visit: 'V9000010' });
      expect(badWard).toMatchObject({ code: 'AR', condition: '102' });
      expect(await storeMark()).toBe(before);
      // Bytes that are not an HL7 message at all, framed as MLLP: answered AR on the same connection.
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: listener.port, ca: caPem }, () =>
          socket.write(Buffer.from('\x0bHELLO WORLD\x1c\x0d')),
        );
        socket.once('data', (data) => {
          resolve(data.toString('utf8'));
          socket.destroy();
        });
        socket.once('error', reject);
      });
      expect(raw).toMatch(/\rMSA\|AR\|/);
      expect(await storeMark()).toBe(before);
    });

    it('answers each of several messages written in one go, in order, each applied once', async () => {
      const frames = ['BURST-1', 'BURST-2'].map(
        (controlId, i) =>
          `\x0b${adtMessage({ secret, controlId, event: 'A08', at: at(`14000${i}`), mrn: `MRN900002${i}`, family: 'Burstova' }).replace(/\n/g, '\r')}\x1c\r`,
      );
      const acks = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: listener.port, ca: caPem }, () => socket.write(frames.join('')));
        let received = '';
        socket.on('data', (data: Buffer) => {
          received += data.toString('utf8');
          if ((received.match(/MSA\|/g) ?? []).length === 2) {
            socket.destroy();
            resolve(received);
          }
        });
        socket.once('error', reject);
      });
      expect([...acks.matchAll(/MSA\|(\w+)\|([\w-]+)/g)].map((m) => `${m[1]} ${m[2]}`)).toEqual(['AA BURST-1', 'AA BURST-2']);
      const burst = await hub.db.query(
        `SELECT res_id FROM fhir_tokens WHERE res_type = 'Patient' AND param = 'identifier' AND value IN ('MRN9000020', 'MRN9000021')`,
      );
      expect(burst).toHaveLength(2);
    });

    it('pipelines a burst on one connection (next message before the previous ACK): each gets its own ACK in order, refusals change nothing, a repeat is applied once', async () => {
      const burst: { controlId: string; fields: Omit<AdtFields, 'secret' | 'controlId'> }[] = [
        {
          controlId: 'PIPE-1',
          fields: { event: 'A01', at: at('150000'), mrn: 'MRN9000040', family: 'Pipelova', location: 'a^21^1', visit: 'V9000040' },
        },
        {
          controlId: 'PIPE-2',
          fields: { event: 'A02', at: at('150100'), mrn: 'MRN9000040', family: 'Pipelova', location: 'b^21^1', visit: 'V9000040' },
        },
        {
          controlId: 'PIPE-3',
          fields: { event: 'A01', at: at('150200'), mrn: 'MRN9000041', family: 'Pipelova', location: 'icu9^1^1', visit: 'V9000041' },
        },
        { controlId: 'PIPE-4', fields: { event: 'A08', at: at('150300'), mrn: 'MRN9000040', family: 'Pipelovna' } },
        {
          controlId: 'PIPE-2',
          fields: { event: 'A02', at: at('150100'), mrn: 'MRN9000040', family: 'Pipelova', location: 'b^21^1', visit: 'V9000040' },
        },
        {
          controlId: 'PIPE-5',
          fields: { event: 'A03', at: at('150400'), mrn: 'MRN9000042', family: 'Pipelova', location: 'a^1^1', visit: 'V9000042' },
        },
        {
          controlId: 'PIPE-6',
          fields: { event: 'A01', at: '2026-01-15', mrn: 'MRN9000043', family: 'Pipelova', location: 'a^23^1', visit: 'V9000043' },
        },
        {
          controlId: 'PIPE-7',
          fields: { event: 'A02', at: at('150500'), mrn: 'MRN9000040', family: 'Pipelovna', location: 'a^22^1', visit: 'V9000040' },
        },
      ];
      const frames = burst.map(({ controlId, fields }) =>
        Buffer.from(`\x0b${adtMessage({ secret, controlId, ...fields }).replace(/\n/g, '\r')}\x1c\r`),
      );
      const acks = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: listener.port, ca: caPem }, () => {
          // Written one by one without waiting for any ACK; one frame cut between its FS and CR.
          for (const frame of frames.slice(0, 4)) socket.write(frame);
          const cut = frames[4]!;
          socket.write(cut.subarray(0, cut.length - 1));
          setTimeout(() => {
            socket.write(cut.subarray(cut.length - 1));
            for (const frame of frames.slice(5)) socket.write(frame);
          }, 50);
        });
        let received = '';
        socket.on('data', (data: Buffer) => {
          received += data.toString('utf8');
          if ((received.match(/MSA\|/g) ?? []).length === burst.length) {
            socket.destroy();
            resolve(received);
          }
        });
        socket.once('error', reject);
      });
      expect([...acks.matchAll(/MSA\|(\w+)\|([\w-]+)/g)].map((m) => `${m[1]} ${m[2]}`)).toEqual([
        'AA PIPE-1',
        'AA PIPE-2',
        'AE PIPE-3',
        'AA PIPE-4',
        'AA PIPE-2',
        'AE PIPE-5',
        'AR PIPE-6',
        'AA PIPE-7',
      ]);
      expect(acks).toContain('Already applied; not applied again');
      // The store holds each change once: one admit, two transfers (the repeat added none), one update.
      const { encounters, patients } = await census('a');
      const patient = patients.find((p) => p.identifier?.some((i) => i.value === 'MRN9000040'))!;
      expect(patient.name?.[0]?.family).toBe('Pipelovna');
      const encounter = encounters.find((e) => e.identifier?.some((i) => i.value === 'V9000040'))!;
      expect(
        encounter.location
          ?.filter((l) => !/-(room|bed)-/.test(l.location?.reference ?? ''))
          .map((l) => `${l.location?.reference} ${l.status}`),
      ).toEqual(['Location/ward-a completed', 'Location/ward-b completed', 'Location/ward-a active']);
      const versions = await hub.db.query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM fhir_versions WHERE res_type = 'Encounter' AND res_id = $1`,
        [encounter.id],
      );
      expect(Number(versions[0]!.n)).toBe(3);
      const keys = await hub.db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM adt_messages WHERE control_id = 'PIPE-2'`);
      expect(Number(keys[0]!.n)).toBe(1);
      // The refused messages left nothing: no patient, no key (sent again once fixed, they apply).
      const refused = await hub.db.query(
        `SELECT res_id FROM fhir_tokens WHERE res_type = 'Patient' AND param = 'identifier' AND value IN ('MRN9000041', 'MRN9000042', 'MRN9000043')`,
      );
      expect(refused).toHaveLength(0);
      const refusedKeys = await hub.db.query(`SELECT control_id FROM adt_messages WHERE control_id IN ('PIPE-3', 'PIPE-5', 'PIPE-6')`);
      expect(refusedKeys).toHaveLength(0);
    });

    it('refuses an unknown ward with AE and changes nothing', async () => {
      const before = await storeMark();
      const ack = await send({ event: 'A01', at: at('081000'), mrn: 'MRN9000011', location: 'icu9^1^1', visit: 'V9000011' });
      expect(ack).toMatchObject({ code: 'AE', condition: '103' });
      const transfer = await send({ event: 'A02', at: at('200000'), mrn: 'MRN9000001', location: 'icu9^1^1', visit: 'V9000001' });
      expect(transfer).toMatchObject({ code: 'AE', condition: '103' });
      expect(await storeMark()).toBe(before);
    });

    it('refuses out-of-order events with AE (a discharge before its admit, an event older than one applied) and changes nothing', async () => {
      const before = await storeMark();
      const dischargeFirst = await send({ event: 'A03', at: at('120000'), mrn: 'MRN9000015', location: 'a^1^1', visit: 'V9000012' });
      expect(dischargeFirst.code).toBe('AE');
      expect(await storeMark()).toBe(before);
      expect((await send({ event: 'A01', at: at('081000'), mrn: 'MRN9000015', location: 'a^17^1', visit: 'V9000012' })).code).toBe('AA');
      const id = (await patientIdOfMrn('a', 'MRN9000015'))!;
      const middle = await storeMark();
      const dischargeOfOtherVisit = await send({
        event: 'A03',
        at: at('120000'),
        mrn: 'MRN9000015',
        location: 'a^1^1',
        visit: 'V9999999',
      });
      expect(dischargeOfOtherVisit).toMatchObject({ code: 'AE', condition: '204' });
      const older = await send({ event: 'A02', at: at('070000'), mrn: 'MRN9000015', location: 'b^1^1', visit: 'V9000012' });
      expect(older.code).toBe('AE');
      expect(older.text).toMatch(/before one already applied/);
      expect(await storeMark()).toBe(middle);
      expect(await patientIdOfMrn('a', 'MRN9000015')).toBe(id);
    });

    it('refuses a sender without the feed secret, with a workstation credential, or revoked (AR), changing nothing', async () => {
      const before = await storeMark();
      const fields = { event: 'A01', at: at('081000'), mrn: 'MRN9000013', location: 'a^1^1', visit: 'V9000013' } as const;
      expect(await send({ ...fields, secret: '' })).toMatchObject({ code: 'AR' });
      expect(await send({ ...fields, secret: 'not-the-secret' })).toMatchObject({ code: 'AR' });
      expect(await send({ ...fields, secret: await stations.a.device.accessToken() })).toMatchObject({ code: 'AR' });
      expect(await send({ ...fields, application: 'OTHER' })).toMatchObject({ code: 'AR' });
      const { secret: other } = await addFeed(hub.db, { name: 'lab', application: 'LAB', facility: 'GENERAL' }, new Date());
      expect(await revokeFeed(hub.db, 'lab', new Date())).toBe(true);
      expect(await send({ ...fields, application: 'LAB', secret: other })).toMatchObject({ code: 'AR' });
      expect(await storeMark()).toBe(before);
      // And over HTTPS a workstation may not write an admission at all.
      const res = await stations.a.device.fetch('/fhir/Encounter', {
        body: { resourceType: 'Encounter', status: 'in-progress', class: { code: 'IMP' }, subject: { reference: 'Patient/x' } },
      });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('ADT_SOURCE_ONLY');
    });

    it('logs ids and codes only, never a name or MRN from the messages', () => {
      const log = hubLog();
      expect(log).toContain('adt.message');
      for (const sensitive of ['Admitova', 'Mergeson', 'Swapley', 'Repeatova', 'MRN9000001', 'MRN9000003', '19610203', secret]) {
        expect(log.includes(sensitive), 'the hub log holds message content').toBe(false);
      }
    });
  });
}
