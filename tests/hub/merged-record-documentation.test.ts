// Documentation a workstation recorded while it could not reach the hub, against a patient record the
// hospital's ADT feed then merged into another (A40 over MLLP), lands on the surviving patient when
// the workstation uploads it: once, in the survivor's chart at the hub's FHIR API, nothing left on
// the merged-away record, nothing refused or held as a conflict, and the workstation's cache follows
// (the merged-away record leaves it, the survivor's chart holds the documentation once). Real hub
// over TLS, a third-party HL7 client, the real sync engine and documentation. Both engines.
// Synthetic patients only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Encounter, Observation, Patient, Provenance } from '../../shared/fhir/index.js';
import { addFeed, startMllpListener, type MllpListener } from '../../server/integration/index.js';
import { createDevCertificate } from '../../server/tls/index.js';
import { openDocumentation, type Documentation, type DocumentationAuthor } from '../../electron/documentation/index.js';
import { CLIENT_ID_SYSTEM, type SyncEngine } from '../../electron/sync/index.js';
import type { Vault } from '../../electron/vault/index.js';
import { startHub, type TestDevice, type TestHub } from '../support/hub-harness.js';
import { adtMessage, openHl7Sender, type AdtFields, type Hl7Sender } from '../support/hl7-sender.js';
import { hl7Calendar } from '../support/hl7-time.js';
import { addWardNurse, enrollTestWorkstation, memoryLogger, seedGeneratedWard, type TestWorkstation } from '../sync/sync-test-kit.js';

for (const engineName of ['sqlite', 'postgres'] as const) {
  describe(`documentation recorded offline against a record the feed then merges (${engineName})`, () => {
    let hub: TestHub;
    let listener: MllpListener;
    let sender: Hl7Sender;
    let secret: string;
    let station: TestWorkstation;
    let vault: Vault;
    let engine: SyncEngine;
    let documentation: Documentation;
    let device: TestDevice;
    let nurse: DocumentationAuthor;
    let sequence = 0;
    /** The events' times: on days in the past, whatever today is (the hub refuses events ahead of its clock). */
    const at = hl7Calendar();

    const send = (fields: Omit<AdtFields, 'secret' | 'controlId'>) =>
      sender.send(adtMessage({ secret, controlId: `MRG${++sequence}`, ...fields }));

    async function hubSearch<T>(path: string): Promise<T[]> {
      const res = await device.fetch(`/fhir/${path}`);
      expect(res.status).toBe(200);
      return ((await res.json()) as Bundle).entry?.map((entry) => entry.resource as T) ?? [];
    }

    async function patientIdOfMrn(mrn: string): Promise<string> {
      const found = await hubSearch<Patient>(`Patient?identifier=${encodeURIComponent(`urn:wardline:mrn|${mrn}`)}`);
      const standing = found.filter((p) => p.active !== false);
      expect(standing).toHaveLength(1);
      return standing[0]!.id!;
    }

    beforeAll(async () => {
      hub = await startHub({ engine: engineName });
      await seedGeneratedWard(hub.db, 'a', { seed: `merge-doc-${engineName}`, patients: 1, days: 1 });
      nurse = await addWardNurse(hub.db, 'a');
      ({ secret } = await addFeed(hub.db, { name: 'ehr', application: 'EHR', facility: 'GENERAL' }, new Date()));
      const tls = createDevCertificate();
      listener = await startMllpListener({ db: hub.db, logger: memoryLogger().logger, port: 0, host: '127.0.0.1', tls });
      sender = await openHl7Sender({ port: listener.port, caPem: tls.certPem });
      station = await enrollTestWorkstation(hub, 'a');
      vault = await station.openVault();
      engine = station.engine(vault, { pageSize: 100 });
      documentation = openDocumentation({ vault, sync: engine, logger: station.logger });
      device = await hub.enrollDevice('a');
    }, 120_000);

    afterAll(async () => {
      await sender?.close();
      await listener?.close();
      await engine?.close();
      vault?.close();
      await station?.remove();
      await hub?.stop();
    });

    it("puts vitals recorded offline against the merged-away record on the survivor's chart, once, and the workstation follows", async () => {
      // The record the nurse documents on: admitted to ward A; the survivor: registered without an admission.
      expect(
        (
          await send({
            event: 'A01',
            at: at('081000'),
            mrn: 'MRN8800001',
            family: 'Duplova',
            birthDate: '19520304',
            location: 'a^4^1',
            visit: 'V8800001',
          })
        ).code,
      ).toBe('AA');
      expect((await send({ event: 'A08', at: at('081500'), mrn: 'MRN8800002', family: 'Duplova', birthDate: '19520403' })).code).toBe('AA');
      const prior = await patientIdOfMrn('MRN8800001');
      await engine.syncOnce();
      const row = vault.census().find((entry) => entry.patientId === prior)!;
      expect(row).toBeDefined();

      // The workstation loses the hub: the nurse documents on the record she has.
      const receipt = documentation.recordVitalSigns(prior, { heartRate: 97, oxygenSaturation: 93 }, nurse);
      expect(vault.outbox.count()).toBe(1);

      // Meanwhile the feed merges that record into the survivor.
      const merge = await send({
        event: 'A40',
        at: at('090000'),
        mrn: 'MRN8800002',
        family: 'Duplova',
        birthDate: '19520403',
        priorMrn: 'MRN8800001',
      });
      expect(merge.code, merge.raw).toBe('AA');
      const survivor = await patientIdOfMrn('MRN8800002');
      expect(survivor).not.toBe(prior);

      // The workstation is back: its upload is taken, not refused or held as a conflict.
      await engine.syncOnce();
      expect(vault.outbox.count()).toBe(0);
      expect(vault.conflicts.count()).toBe(0);

      // At the hub: the documentation once, on the survivor and the stay (re-keyed by the merge), with its Provenance.
      const clientIds = receipt.resourceIds;
      expect(clientIds.length).toBeGreaterThan(0);
      const documented = (await hubSearch<Observation>(`Observation?patient=${survivor}&_count=200`)).filter((o) =>
        o.identifier?.some((i) => i.system === CLIENT_ID_SYSTEM),
      );
      expect(documented).toHaveLength(clientIds.length);
      for (const observation of documented) {
        expect(observation.subject?.reference).toBe(`Patient/${survivor}`);
        expect(observation.encounter?.reference).toBe(`Encounter/${row.encounterId}`);
      }
      const stay = (await hubSearch<Encounter>(`Encounter?patient=${survivor}`)).map((e) => e.id);
      expect(stay).toContain(row.encounterId);
      const provenances = await hubSearch<Provenance>(`Provenance?_id=${receipt.provenanceId}`);
      expect(provenances).toHaveLength(1);
      expect(provenances[0]!.target?.map((t) => t.reference)).toContain(`Patient/${survivor}`);
      expect(provenances[0]!.target?.map((t) => t.reference)).not.toContain(`Patient/${prior}`);
      // Nothing dangles on the merged-away record.
      const left = await hub.db.query(
        `SELECT res_type FROM fhir_resources WHERE patient_id = $1 AND res_type <> 'Patient' AND deleted = 0`,
        [prior],
      );
      expect(left).toEqual([]);
      const everything = JSON.stringify(
        await hub.db.query<{ content: string }>(
          `SELECT CAST(content AS TEXT) AS content FROM fhir_resources WHERE deleted = 0 AND res_type <> 'Patient'`,
        ),
      );
      expect(everything).not.toContain(`Patient/${prior}"`);

      // The workstation's cache: the merged-away record gone, the survivor's chart holding the vitals once.
      await engine.syncOnce();
      expect(vault.census().map((entry) => entry.patientId)).toContain(survivor);
      expect(vault.census().map((entry) => entry.patientId)).not.toContain(prior);
      const cachedOf = (patientId: string) =>
        vault.resources
          .ofPatientBetween(patientId, 'Observation', 0, Number.MAX_SAFE_INTEGER)
          .filter((o) => o.identifier?.some((i) => i.system === CLIENT_ID_SYSTEM));
      expect(cachedOf(survivor)).toHaveLength(clientIds.length);
      expect(cachedOf(prior)).toEqual([]);
    });

    it('follows a chain of ten merges to its end: the documentation lands on the last survivor, none on the records between', async () => {
      const mrn = (k: number) => `MRN88100${String(k).padStart(2, '0')}`;
      const atMinute = (minute: number) => at(`10${String(minute).padStart(2, '0')}00`, 1);
      expect(
        (
          await send({
            event: 'A01',
            at: atMinute(0),
            mrn: mrn(0),
            family: 'Kettenova',
            birthDate: '19610203',
            location: 'a^5^1',
            visit: 'V8810000',
          })
        ).code,
      ).toBe('AA');
      const first = await patientIdOfMrn(mrn(0));
      await engine.syncOnce();
      const row = vault.census().find((entry) => entry.patientId === first)!;
      expect(row).toBeDefined();

      // Offline, the nurse documents on the record she has; meanwhile the feed merges it ten times over.
      const receipt = documentation.recordVitalSigns(first, { heartRate: 88, respiratoryRate: 18 }, nurse);
      const chain = [first];
      for (let k = 1; k <= 10; k++) {
        expect((await send({ event: 'A08', at: atMinute(2 * k - 1), mrn: mrn(k), family: 'Kettenova', birthDate: '19610203' })).code).toBe(
          'AA',
        );
        const merge = await send({
          event: 'A40',
          at: atMinute(2 * k),
          mrn: mrn(k),
          family: 'Kettenova',
          birthDate: '19610203',
          priorMrn: mrn(k - 1),
        });
        expect(merge.code, merge.raw).toBe('AA');
        chain.push(await patientIdOfMrn(mrn(k)));
      }
      const last = chain.at(-1)!;
      expect(new Set(chain).size).toBe(11);

      await engine.syncOnce();
      expect(vault.outbox.count()).toBe(0);
      expect(vault.conflicts.count()).toBe(0);
      const documented = (await hubSearch<Observation>(`Observation?patient=${last}&_count=200`)).filter((o) =>
        o.identifier?.some((i) => i.system === CLIENT_ID_SYSTEM),
      );
      expect(documented).toHaveLength(receipt.resourceIds.length);
      for (const observation of documented) expect(observation.subject?.reference).toBe(`Patient/${last}`);
      const onTheWay = await hub.db.query(
        `SELECT patient_id FROM fhir_resources WHERE res_type = 'Observation' AND deleted = 0 AND patient_id IN (${chain
          .slice(0, -1)
          .map((_, i) => `$${i + 1}`)
          .join(', ')})`,
        chain.slice(0, -1),
      );
      expect(onTheWay).toEqual([]);
    });
  });
}
