// The hub mirrors its wards' charts from an upstream EHR and sends documentation back: a
// third-party FHIR server (Medplum's engine, over HTTPS, SMART Backend Services) loaded with
// Synthea patients; the hub over HTTPS on SQLite and on PostgreSQL, restarted mid-test. Deletions
// upstream reach the hub and a workstation; an ADT-admitted patient and the EHR's are one Patient
// (by MRN); on PostgreSQL two hubs share one database and one leader runs the mirror.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Bundle,
  Encounter,
  MedicationAdministration,
  MedicationRequest,
  Observation,
  Patient,
  Provenance,
  Resource,
} from '@medplum/fhirtypes';
import { CLIENT_ID_SYSTEM, MRN_SYSTEM, UPSTREAM_CONFLICT_TAG_SYSTEM, withoutUpstreamMarks } from '../../shared/fhir/index.js';
import { openDocumentation } from '../../electron/documentation/index.js';
import { addUser } from '../../server/identity/index.js';
import { putResources } from '../../server/fhir/index.js';
import {
  addFeed,
  createUpstreamMirror,
  startMllpListener,
  type MllpListener,
  formatUpstreamStatus,
  readUpstreamStatus,
  UPSTREAM_DEFAULTS,
  type UpstreamConfig,
  type UpstreamMirror,
} from '../../server/integration/index.js';
import { createDevCertificate } from '../../server/tls/index.js';
import { startHub, type HubEngine, type TestDevice, type TestHub } from '../support/hub-harness.js';
import { seedWard } from '../support/hub-fixtures.js';
import { hubCli } from '../support/hub-cli.js';
import { adtMessage, openHl7Sender, type AdtFields, type Hl7Sender } from '../support/hl7-sender.js';
import { hl7Calendar, isoOfHl7 } from '../support/hl7-time.js';
import { addWardNurse, enrollTestWorkstation } from '../sync/sync-test-kit.js';
import { startUpstreamFhirServer, type UpstreamFhirServer } from '../support/upstream-fhir-server.js';

const WARD = '4north';
const CLIENT_ID = 'wardline-hub-test';
const DAY_MS = 24 * 60 * 60_000;
const HOSPITAL_MRN_SYSTEM = 'http://hospital.smarthealthit.org';
/** The EHR's visit-number system, mapped to the ADT feed's authority (MSH-4 GENERAL: PV1-19 has no CX-4). */
const HOSPITAL_VISIT_SYSTEM = 'http://hospital.smarthealthit.org/visit-number';

for (const engine of ['sqlite', 'postgres'] as const satisfies readonly HubEngine[]) {
  describe(`the upstream mirror on ${engine}`, () => {
    let upstream: UpstreamFhirServer;
    let hub: TestHub;
    let device: TestDevice;
    let mirror: UpstreamMirror;
    let folder: string;
    let sqlitePath: string;
    let config: UpstreamConfig;
    let wardLocationRef = '';
    const patients: string[] = [];
    let recentObservationId = '';

    function vitalSign(patientId: string, encounterId: string, value: number, when: Date): Observation {
      return {
        resourceType: 'Observation',
        status: 'final',
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
        code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
        subject: { reference: `Patient/${patientId}` },
        encounter: { reference: `Encounter/${encounterId}` },
        effectiveDateTime: when.toISOString(),
        valueQuantity: { value, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
      };
    }

    async function hubSearch<T extends Resource>(path: string): Promise<T[]> {
      const res = await device.fetch(`/fhir/${path}`);
      expect(res.status).toBe(200);
      const bundle = (await res.json()) as Bundle<T>;
      return (bundle.entry ?? []).map((entry) => entry.resource!);
    }

    async function upstreamAll<T extends Resource>(type: T['resourceType']): Promise<T[]> {
      const bundle = await upstream.repo.search<T>({ resourceType: type, count: 10_000 });
      return (bundle.entry ?? []).map((entry) => entry.resource as T);
    }

    async function hubVersionCount(): Promise<number> {
      const rows = await hub.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM fhir_versions');
      return Number(rows[0]?.n ?? 0);
    }

    async function newMirror(): Promise<UpstreamMirror> {
      return createUpstreamMirror({ db: hub.db, config, logger: pino({ level: 'silent' }) });
    }

    beforeAll(async () => {
      upstream = await startUpstreamFhirServer();
      const keys = await generateKeyPair('ES384', { extractable: true });
      upstream.registerClient(CLIENT_ID, { ...(await exportJWK(keys.publicKey)), alg: 'ES384' });
      const now = new Date();
      for (const file of ['clemente-kreiger.json', 'buster-hoeger.json']) {
        const bundle = JSON.parse(await readFile(join(import.meta.dirname, '../support/fixtures/synthea', file), 'utf8')) as Bundle;
        const locations = await upstream.loadTransaction(bundle);
        patients.push(locations.find((l) => l.startsWith('Patient/'))!.split('/')[1]!);
      }
      const ward = await upstream.repo.createResource({ resourceType: 'Location', name: '4 North', mode: 'instance' });
      wardLocationRef = `Location/${ward.id}`;
      for (const patientId of patients) {
        const admission = await upstream.repo.createResource<Encounter>({
          resourceType: 'Encounter',
          status: 'in-progress',
          class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
          subject: { reference: `Patient/${patientId}` },
          period: { start: new Date(now.getTime() - 2 * DAY_MS).toISOString() },
          location: [{ location: { reference: `Location/${ward.id}` }, status: 'active' }],
        });
        const obs = await upstream.repo.createResource(vitalSign(patientId, admission.id, 88, new Date(now.getTime() - 3600_000)));
        if (patientId === patients[0]) recentObservationId = obs.id;
      }
      folder = await mkdtemp(join(tmpdir(), 'wardline-upstream-'));
      sqlitePath = join(folder, 'hub.sqlite');
      hub = await startHub({ engine, sqlitePath });
      // The ward as IT set it up at the hub (the ADT feed admits only to wards the hub serves).
      await seedWard(hub.db, WARD);
      device = await hub.enrollDevice(WARD);
      config = {
        ...UPSTREAM_DEFAULTS,
        baseUrl: upstream.baseUrl,
        clientId: CLIENT_ID,
        privateKeyPem: await exportPKCS8(keys.privateKey),
        caPem: upstream.caPem,
        wards: [{ ward: WARD, location: `Location/${ward.id}` }],
        // Small pages, so every search follows `next` links.
        pageSize: 4,
        maxBackoffMs: 1000,
        // Look for deletions upstream every cycle.
        deletionSweepMs: 0,
        visitNumberSystems: [{ authority: 'GENERAL', system: HOSPITAL_VISIT_SYSTEM }],
      };
      mirror = await newMirror();
    }, 120_000);

    afterAll(async () => {
      await mirror?.stop();
      await hub?.stop();
      await upstream?.stop();
      if (folder) await rm(folder, { recursive: true, force: true });
    });

    describe('the upstream mirror', () => {
      it("pulls the ward's charts from the upstream over SMART Backend Services, only the cache window, following pages", async () => {
        const report = await mirror.runCycle();
        expect(report.ok).toBe(true);
        const census = await hubSearch('Patient');
        expect(census.map((p) => p.id).sort()).toEqual([...patients].sort());
        // Synthea's Patient, as upstream wrote it, with where it came from.
        const upstreamPatient = await upstream.repo.readResource('Patient', patients[0]!);
        const mirrored = census.find((p) => p.id === patients[0])!;
        expect(mirrored.meta?.source).toBe(`${upstream.baseUrl}/Patient/${patients[0]}/_history/${upstreamPatient.meta?.versionId}`);
        expect((mirrored as { name?: unknown }).name).toEqual((upstreamPatient as { name?: unknown }).name);
        // The recent vital sign is in; Synthea's observations of years ago are outside the cache window.
        const observations = await hubSearch<Observation>(`Observation?patient=${patients[0]}`);
        expect(observations.map((o) => o.id)).toEqual([recentObservationId]);
        const upstreamObservations = (await upstreamAll<Observation>('Observation')).filter(
          (o) => o.subject?.reference === `Patient/${patients[0]}`,
        );
        expect(upstreamObservations.length).toBeGreaterThan(5);
        // The second patient's active problems are there whatever their date.
        const conditions = await hubSearch<Resource>(`Condition?patient=${patients[1]}`);
        expect(conditions.length).toBeGreaterThan(0);
        expect(upstream.requests.some((r) => r.url.includes('_offset='))).toBe(true);
      });

      it('writes nothing when nothing changed upstream', async () => {
        const before = await hubVersionCount();
        expect((await mirror.runCycle()).ok).toBe(true);
        expect(await hubVersionCount()).toBe(before);
      });

      it('keeps up with changes upstream: a corrected value, a new observation, a new admission', async () => {
        const current = await upstream.repo.readResource<Observation>('Observation', recentObservationId);
        await upstream.repo.updateResource<Observation>({ ...current, valueQuantity: { ...current.valueQuantity!, value: 91 } });
        const admission = (await upstreamAll<Encounter>('Encounter')).find(
          (e) => e.subject?.reference === `Patient/${patients[1]}` && e.status === 'in-progress',
        )!;
        const added = await upstream.repo.createResource(vitalSign(patients[1]!, admission.id!, 64, new Date()));
        expect((await mirror.runCycle()).ok).toBe(true);
        const [corrected] = await hubSearch<Observation>(`Observation?_id=${recentObservationId}`);
        expect(corrected?.valueQuantity?.value).toBe(91);
        expect(corrected?.meta?.versionId).toBe('2');
        expect((await hubSearch<Observation>(`Observation?patient=${patients[1]}`)).map((o) => o.id)).toContain(added.id);
      });

      it('mirrors a deletion upstream: the resource leaves the hub, then the ward workstation at its next sync', async () => {
        const station = await enrollTestWorkstation(hub, WARD);
        const vault = await station.openVault();
        const sync = station.engine(vault, { pageSize: 100 });
        try {
          const admission = (await upstreamAll<Encounter>('Encounter')).find(
            (e) => e.subject?.reference === `Patient/${patients[0]}` && e.status === 'in-progress',
          )!;
          const doomed = await upstream.repo.createResource(vitalSign(patients[0]!, admission.id!, 72, new Date()));
          expect((await mirror.runCycle()).ok).toBe(true);
          await sync.syncOnce();
          expect(vault.resources.read('Observation', doomed.id!)).not.toBeNull();

          // Entered in the EHR by mistake and deleted there.
          await upstream.repo.deleteResource('Observation', doomed.id!);
          // An outage during the sweep deletes nothing.
          upstream.setOutage(true);
          expect((await mirror.runCycle()).ok).toBe(false);
          expect(await hubSearch<Observation>(`Observation?_id=${doomed.id}`)).toHaveLength(1);
          upstream.setOutage(false);

          expect((await mirror.runCycle()).ok).toBe(true);
          expect(await hubSearch<Observation>(`Observation?_id=${doomed.id}`)).toEqual([]);
          expect((await device.fetch(`/fhir/Observation/${doomed.id}`)).status).toBe(410);
          // The rest of the chart stays, and the next cycle deletes nothing more.
          expect(await hubSearch<Observation>(`Observation?_id=${recentObservationId}`)).toHaveLength(1);
          const before = await hubVersionCount();
          expect((await mirror.runCycle()).ok).toBe(true);
          expect(await hubVersionCount()).toBe(before);

          await sync.syncOnce();
          expect(vault.resources.read('Observation', doomed.id!)).toBeNull();
          expect(vault.resources.read('Observation', recentObservationId)).not.toBeNull();
        } finally {
          await sync.close();
          vault.close();
          await station.remove();
        }
      });

      it('waits out 429 Retry-After and carries on', async () => {
        upstream.rateLimitNext(2, 1);
        expect((await mirror.runCycle()).ok).toBe(true);
        expect(upstream.requests.filter((r) => r.status === 429)).toHaveLength(2);
      });

      it('survives an upstream outage and a hub restart with no gap and no duplicate', async () => {
        upstream.setOutage(true);
        const during = await upstream.repo.createResource(vitalSign(patients[0]!, randomUUID(), 101, new Date()));
        const failed = await mirror.runCycle();
        expect(failed.ok).toBe(false);
        const status = formatUpstreamStatus(await readUpstreamStatus(hub.db, new Date())).join('\n');
        expect(status).toMatch(new RegExp(`mirror:${WARD}: last success .* 1 failure\\(s\\) in a row`));
        expect(status).toContain('UNAVAILABLE');

        // The hub restarts (same database file) while the upstream is still down, then it comes back.
        await mirror.stop();
        const hubKey = hub.hubKey;
        await hub.stop();
        hub = await startHub(engine === 'sqlite' ? { engine, sqlitePath, hubKey } : { engine, postgresUrl: hub.postgresUrl!, hubKey });
        device = await hub.enrollDevice(WARD);
        mirror = await newMirror();
        upstream.setOutage(false);
        expect((await mirror.runCycle()).ok).toBe(true);

        const mine = await hubSearch<Observation>(`Observation?patient=${patients[0]}`);
        expect(mine.filter((o) => o.id === during.id)).toHaveLength(1);
        // Every resource the hub holds from upstream is there once, in one current version per upstream version.
        const rows = await hub.db.query<{ n: number; ids: number }>(
          'SELECT COUNT(*) AS n, COUNT(DISTINCT res_id) AS ids FROM fhir_resources',
        );
        expect(Number(rows[0]!.n)).toBe(Number(rows[0]!.ids));
        const afterStatus = await readUpstreamStatus(hub.db, new Date());
        expect(afterStatus.activities.find((a) => a.activity === `mirror:${WARD}`)?.failures).toBe(0);
      });
    });

    describe('documentation sent back upstream', () => {
      let nurseId = '';
      beforeAll(async () => {
        const nurse = await addUser(
          hub.db,
          { username: 'downtime-nurse', password: 'correct horse battery staple 4N', role: 'nurse', wards: [WARD], mfa: false },
          new Date(Date.now() - 2 * DAY_MS),
        );
        nurseId = nurse.userId;
      });

      function upload(observation: Observation, clientId: string, provenanceId: string): Bundle {
        return {
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [
            {
              fullUrl: `urn:uuid:${clientId}`,
              resource: { ...observation, identifier: [{ system: CLIENT_ID_SYSTEM, value: clientId }] },
              request: { method: 'POST', url: 'Observation', ifNoneExist: `identifier=${CLIENT_ID_SYSTEM}|${clientId}` },
            },
            {
              fullUrl: `Provenance/${provenanceId}`,
              resource: {
                resourceType: 'Provenance',
                id: provenanceId,
                target: [{ reference: `urn:uuid:${clientId}` }, { reference: observation.subject!.reference! }],
                recorded: new Date().toISOString(),
                agent: [
                  {
                    type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'author' }] },
                    who: { reference: `Practitioner/${nurseId}` },
                  },
                ],
              } as Provenance,
              request: { method: 'PUT', url: `Provenance/${provenanceId}` },
            },
          ],
        };
      }

      it('arrives upstream exactly once, after an outage and a lost acknowledgement, with its Provenance', async () => {
        const admission = (await upstreamAll<Encounter>('Encounter')).find(
          (e) => e.subject?.reference === `Patient/${patients[0]}` && e.status === 'in-progress',
        )!;
        const clientId = randomUUID();
        const provenanceId = randomUUID();
        const res = await device.fetch('/fhir', {
          method: 'POST',
          body: upload(vitalSign(patients[0]!, admission.id!, 77, new Date()), clientId, provenanceId),
        });
        expect(res.status, await res.clone().text()).toBe(200);

        upstream.setOutage(true);
        expect((await mirror.runCycle()).ok).toBe(false);
        const waiting = await readUpstreamStatus(hub.db, new Date());
        expect(waiting.outbox.pending).toBeGreaterThan(0);
        expect(formatUpstreamStatus(waiting).join('\n')).toContain('retrying Observation/');
        upstream.setOutage(false);
        // The outbox waits its backoff (at most maxBackoffMs) before trying again.
        await new Promise((resolve) => setTimeout(resolve, 1100));
        expect((await mirror.runCycle()).ok).toBe(true);

        const sentCopies = (await upstreamAll<Observation>('Observation')).filter((o) => o.identifier?.some((i) => i.value === clientId));
        expect(sentCopies).toHaveLength(1);
        const provenances = (await upstreamAll<Provenance>('Provenance')).filter((p) => p.meta?.tag?.some((t) => t.code === provenanceId));
        expect(provenances).toHaveLength(1);
        expect(provenances[0]!.target.map((t) => t.reference)).toContain(`Observation/${sentCopies[0]!.id}`);

        // The hub crashed after the upstream created it but before the acknowledgement was recorded.
        await hub.db.execute(
          `UPDATE upstream_outbox SET state = 'pending', upstream_ref = NULL, next_attempt_ms = 0 WHERE res_type = 'Observation'`,
        );
        expect((await mirror.runCycle()).ok).toBe(true);
        expect((await upstreamAll<Observation>('Observation')).filter((o) => o.identifier?.some((i) => i.value === clientId))).toHaveLength(
          1,
        );
        // The upstream copy coming back through the mirror is not a second chart entry at the hub.
        expect((await hubSearch<Observation>(`Observation?identifier=${CLIENT_ID_SYSTEM}|${clientId}`)).length).toBe(1);
        const status = await readUpstreamStatus(hub.db, new Date());
        expect(status.outbox).toMatchObject({ pending: 0, refused: 0 });
      });

      it('keeps a refusal for IT with the reason, and never drops it', async () => {
        const admission = (await upstreamAll<Encounter>('Encounter')).find(
          (e) => e.subject?.reference === `Patient/${patients[1]}` && e.status === 'in-progress',
        )!;
        const clientId = randomUUID();
        // Two records upstream already claim this client id: the conditional create cannot tell which is meant.
        for (let i = 0; i < 2; i++) {
          await upstream.repo.createResource({
            ...vitalSign(patients[1]!, admission.id!, 50 + i, new Date()),
            identifier: [{ system: CLIENT_ID_SYSTEM, value: clientId }],
          });
        }
        const res = await device.fetch('/fhir', {
          method: 'POST',
          body: upload(vitalSign(patients[1]!, admission.id!, 70, new Date()), clientId, randomUUID()),
        });
        expect(res.status).toBe(200);
        await mirror.runCycle();
        await mirror.runCycle();
        const status = await readUpstreamStatus(hub.db, new Date());
        expect(status.outbox.refused).toBeGreaterThanOrEqual(1);
        const lines = formatUpstreamStatus(status).join('\n');
        expect(lines).toMatch(/REFUSED Observation\/\S+ \(version 1, 1 attempt\(s\)\): HTTP 4\d\d/);
        expect(lines).toMatch(/REFUSED Provenance\/\S+ .*its target Observation was refused upstream/);
      });

      it("refuses, for IT, a later version on another patient than the EHR's copy, and never moves that copy", async () => {
        const admission = (await upstreamAll<Encounter>('Encounter')).find(
          (e) => e.subject?.reference === `Patient/${patients[0]}` && e.status === 'in-progress',
        )!;
        const clientId = randomUUID();
        const res = await device.fetch('/fhir', {
          method: 'POST',
          body: upload(vitalSign(patients[0]!, admission.id!, 91, new Date()), clientId, randomUUID()),
        });
        expect(res.status).toBe(200);
        expect((await mirror.runCycle()).ok).toBe(true);
        const ehrCopies = async (): Promise<Observation[]> =>
          (await upstreamAll<Observation>('Observation')).filter((o) => o.identifier?.some((i) => i.value === clientId));
        const [sent] = await ehrCopies();
        expect(sent?.subject?.reference).toBe(`Patient/${patients[0]}`);

        // A version on the other patient that no workstation may write (the hub's write policy refuses
        // it), as one stored from outside that policy would be: the outbox must not carry the move.
        const [row] = await hub.db.query<{ res_id: string }>(
          `SELECT res_id FROM fhir_tokens WHERE res_type = 'Observation' AND param = 'identifier' AND value = $1`,
          [clientId],
        );
        const rows = await hub.db.query<{ content: string }>(
          `SELECT CAST(content AS TEXT) AS content FROM fhir_resources WHERE res_type = 'Observation' AND res_id = $1`,
          [row!.res_id],
        );
        const current = JSON.parse(rows[0]!.content) as Observation;
        const { encounter: _encounter, ...withoutStay } = current;
        await putResources(hub.db, [{ ...withoutStay, subject: { reference: `Patient/${patients[1]}` } } as never], new Date());
        expect((await mirror.runCycle()).ok).toBe(true);
        expect((await mirror.runCycle()).ok).toBe(true);

        const after = await ehrCopies();
        expect(after).toHaveLength(1);
        expect(after[0]!.subject?.reference).toBe(`Patient/${patients[0]}`);
        expect(after[0]!.meta?.versionId).toBe(sent!.meta?.versionId);
        const lines = formatUpstreamStatus(await readUpstreamStatus(hub.db, new Date())).join('\n');
        expect(lines).toContain(
          `REFUSED Observation/${row!.res_id} (version ${Number(current.meta!.versionId) + 1}, 1 attempt(s)): this version names another patient`,
        );
      });

      it('holds documentation the EHR contradicts (the patient discharged there before its time) as a conflict, and sends a later version', async () => {
        const admission = (await upstreamAll<Encounter>('Encounter')).find(
          (e) => e.subject?.reference === `Patient/${patients[1]}` && e.status === 'in-progress',
        )!;
        const clientId = randomUUID();
        const res = await device.fetch('/fhir', {
          method: 'POST',
          body: upload(vitalSign(patients[1]!, admission.id!, 66, new Date()), clientId, randomUUID()),
        });
        expect(res.status).toBe(200);
        // Meanwhile the EHR recorded the discharge, an hour before the observation's time.
        await upstream.repo.updateResource<Encounter>({
          ...admission,
          status: 'finished',
          period: { ...admission.period, end: new Date(Date.now() - 3600_000).toISOString() },
        });
        const copies = async (): Promise<number> =>
          (await upstreamAll<Observation>('Observation')).filter((o) => o.identifier?.some((i) => i.value === clientId)).length;
        expect((await mirror.runCycle()).ok).toBe(true);
        expect((await mirror.runCycle()).ok).toBe(true);
        expect(await copies()).toBe(0);
        const status = await readUpstreamStatus(hub.db, new Date());
        expect(status.outbox.conflict).toBe(1);
        const lines = formatUpstreamStatus(status).join('\n');
        expect(lines).toMatch(/CONFLICT Observation\/\S+ \(version 1, 1 attempt\(s\)\): UPSTREAM_PATIENT_DISCHARGED/);
        expect(lines).toContain('1 held as conflicts with the EHR');

        // Someone decided it stands: a later version of the documentation goes upstream, once.
        const [row] = await hub.db.query<{ res_id: string }>(
          `SELECT res_id FROM fhir_tokens WHERE res_type = 'Observation' AND param = 'identifier' AND value = $1`,
          [clientId],
        );
        const rows = await hub.db.query<{ content: string }>(
          `SELECT CAST(content AS TEXT) AS content FROM fhir_resources WHERE res_type = 'Observation' AND res_id = $1`,
          [row!.res_id],
        );
        const held = JSON.parse(rows[0]!.content) as Observation;
        // The hub's version carries the conflict and the EHR's encounter; the decision is a version without them.
        expect(held.meta?.tag).toContainEqual(
          expect.objectContaining({ system: UPSTREAM_CONFLICT_TAG_SYSTEM, code: 'UPSTREAM_PATIENT_DISCHARGED' }),
        );
        expect(held.contained).toContainEqual(expect.objectContaining({ resourceType: 'Encounter', id: admission.id, status: 'finished' }));
        await putResources(
          hub.db,
          [{ ...withoutUpstreamMarks(held), note: [{ text: 'Taken before the discharge was recorded; confirmed.' }] } as never],
          new Date(),
        );
        expect((await mirror.runCycle()).ok).toBe(true);
        expect((await mirror.runCycle()).ok).toBe(true);
        expect(await copies()).toBe(1);
      });

      it("shows a dose the EHR's changed order contradicts on every ward workstation's conflicts; settled on one, it goes to the EHR once, or is kept out of it", async () => {
        const admission = (await upstreamAll<Encounter>('Encounter')).find(
          (e) => e.subject?.reference === `Patient/${patients[0]}` && e.status === 'in-progress',
        )!;
        const order = await upstream.repo.createResource<MedicationRequest>({
          resourceType: 'MedicationRequest',
          status: 'active',
          intent: 'order',
          medicationCodeableConcept: {
            coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '197361' }],
            text: 'Amlodipine 5 mg',
          },
          subject: { reference: `Patient/${patients[0]}` },
          encounter: { reference: `Encounter/${admission.id}` },
          authoredOn: new Date(Date.now() - DAY_MS).toISOString(),
        });
        expect((await mirror.runCycle()).ok).toBe(true);
        const stations = [await enrollTestWorkstation(hub, WARD), await enrollTestWorkstation(hub, WARD)];
        const vaults = await Promise.all(stations.map((station) => station.openVault()));
        const syncs = stations.map((station, i) => station.engine(vaults[i]!, { pageSize: 100 }));
        const author = { reference: `Practitioner/${nurseId}`, display: 'downtime-nurse' };
        try {
          for (const sync of syncs) await sync.syncOnce();
          // Two doses given during a downtime, uploaded by the workstation afterwards.
          const given = new Date(Date.now() - 30 * 60_000);
          const clientIds = [randomUUID(), randomUUID()];
          for (const clientId of clientIds) {
            const dose = {
              resourceType: 'MedicationAdministration',
              status: 'completed',
              medicationCodeableConcept: order.medicationCodeableConcept,
              subject: { reference: `Patient/${patients[0]}` },
              context: { reference: `Encounter/${admission.id}` },
              request: { reference: `MedicationRequest/${order.id}` },
              effectiveDateTime: given.toISOString(),
            } as unknown as Observation;
            const bundle = upload(dose, clientId, randomUUID());
            bundle.entry![0]!.request = {
              method: 'POST',
              url: 'MedicationAdministration',
              ifNoneExist: `identifier=${CLIENT_ID_SYSTEM}|${clientId}`,
            };
            const res = await device.fetch('/fhir', { method: 'POST', body: bundle });
            expect(res.status, await res.clone().text()).toBe(200);
          }
          const decidedBefore = (await readUpstreamStatus(hub.db, new Date())).outbox;
          // Meanwhile the prescriber stopped the order in the EHR.
          await upstream.repo.updateResource<MedicationRequest>({ ...order, status: 'stopped' });
          expect((await mirror.runCycle()).ok).toBe(true);
          const sentCopies = async (clientId: string): Promise<number> =>
            (await upstreamAll<MedicationAdministration>('MedicationAdministration')).filter((a) =>
              a.identifier?.some((i) => i.value === clientId),
            ).length;
          expect(await sentCopies(clientIds[0]!)).toBe(0);
          expect(await sentCopies(clientIds[1]!)).toBe(0);
          expect((await readUpstreamStatus(hub.db, new Date())).outbox.conflict).toBe(2);

          // At the hub's FHIR API: each dose carries the conflict and the EHR's order as it stands now.
          const held = await hubSearch<MedicationAdministration>(`MedicationAdministration?identifier=${CLIENT_ID_SYSTEM}|${clientIds[0]}`);
          expect(held).toHaveLength(1);
          expect(held[0]!.meta?.tag).toContainEqual(
            expect.objectContaining({ system: UPSTREAM_CONFLICT_TAG_SYSTEM, code: 'UPSTREAM_ORDER_CHANGED' }),
          );
          expect(held[0]!.contained).toContainEqual(
            expect.objectContaining({ resourceType: 'MedicationRequest', id: order.id, status: 'stopped' }),
          );

          // Both ward workstations list both conflicts after their next sync, with the EHR's order beside each dose.
          for (const sync of syncs) await sync.syncOnce();
          for (const vault of vaults) {
            const listed = vault.conflicts.list().filter((c) => c.reason === 'upstream-conflict');
            expect(listed).toHaveLength(2);
            for (const conflict of listed) {
              expect(conflict).toMatchObject({ errorCode: 'UPSTREAM_ORDER_CHANGED', patientId: patients[0] });
              expect(conflict.hub).toEqual([expect.objectContaining({ resourceType: 'MedicationRequest', status: 'stopped' })]);
              expect(conflict.local.items[0]!.resource.meta?.tag ?? []).not.toContainEqual(
                expect.objectContaining({ system: UPSTREAM_CONFLICT_TAG_SYSTEM }),
              );
            }
          }
          expect(syncs[1]!.status().conflicts).toBeGreaterThanOrEqual(2);

          // At the first workstation a nurse decides: the first dose goes to the EHR anyway, the second stays out of it.
          const documentation = openDocumentation({ vault: vaults[0]!, sync: syncs[0]!, logger: stations[0]!.logger });
          const conflictOf = (clientId: string) =>
            vaults[0]!.conflicts
              .list()
              .find((c) =>
                (c.local.items[0]!.resource as MedicationAdministration).identifier?.some((i: { value?: string }) => i.value === clientId),
              )!;
          expect(documentation.resolveConflict(conflictOf(clientIds[0]!).conflictId, 'resend-local', undefined, author)).not.toBeNull();
          expect(documentation.resolveConflict(conflictOf(clientIds[1]!).conflictId, 'keep-hub', undefined, author)).not.toBeNull();
          await syncs[0]!.syncOnce();
          expect(vaults[0]!.outbox.pendingResourceKeys().size).toBe(0);
          expect((await mirror.runCycle()).ok).toBe(true);
          expect((await mirror.runCycle()).ok).toBe(true);
          expect(await sentCopies(clientIds[0]!)).toBe(1);
          expect(await sentCopies(clientIds[1]!)).toBe(0);
          const status = await readUpstreamStatus(hub.db, new Date());
          expect(status.outbox.conflict).toBe(0);
          expect([status.outbox.settled - decidedBefore.settled, status.outbox.withheld - decidedBefore.withheld]).toEqual([1, 1]);
          expect(formatUpstreamStatus(status).join('\n')).toContain(
            `${status.outbox.settled + status.outbox.withheld} conflict(s) settled by users (${status.outbox.withheld} kept from the EHR)`,
          );
          // Who decided went with the dose sent to the EHR.
          const provenances = (await upstreamAll<Provenance>('Provenance')).filter((p) =>
            p.activity?.text?.startsWith('Sent to the EHR after a conflict'),
          );
          expect(provenances).toHaveLength(1);

          // The other workstation learns the decisions at its next sync: its conflicts are gone.
          await syncs[1]!.syncOnce();
          expect(vaults[1]!.conflicts.list().filter((c) => c.reason === 'upstream-conflict')).toEqual([]);
          expect(vaults[0]!.conflicts.list().filter((c) => c.reason === 'upstream-conflict')).toEqual([]);
          // Nothing more goes to the EHR on later cycles.
          expect((await mirror.runCycle()).ok).toBe(true);
          expect(await sentCopies(clientIds[0]!)).toBe(1);
          expect(await sentCopies(clientIds[1]!)).toBe(0);
        } finally {
          for (const sync of syncs) await sync.close();
          for (const vault of vaults) vault.close();
          for (const station of stations) await station.remove();
        }
      });

      it('shows an EHR conflict of a patient the hub has discharged on the workstations of the ward that held them, until one settles it', async () => {
        // A patient on the ward at the EHR, and so at the hub and on two ward workstations.
        const patient = await upstream.repo.createResource<Patient>({
          resourceType: 'Patient',
          name: [{ family: 'Leftward', given: ['Robin'] }],
          gender: 'unknown',
          birthDate: '1951-07-04',
        });
        const stay = await upstream.repo.createResource<Encounter>({
          resourceType: 'Encounter',
          status: 'in-progress',
          class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
          subject: { reference: `Patient/${patient.id}` },
          period: { start: new Date(Date.now() - DAY_MS).toISOString() },
          location: [{ location: { reference: wardLocationRef }, status: 'active' }],
        });
        expect((await mirror.runCycle()).ok).toBe(true);
        const stations = [await enrollTestWorkstation(hub, WARD), await enrollTestWorkstation(hub, WARD)];
        const vaults = await Promise.all(stations.map((station) => station.openVault()));
        const syncs = stations.map((station, i) => station.engine(vaults[i]!, { pageSize: 100 }));
        const author = { reference: `Practitioner/${nurseId}`, display: 'downtime-nurse' };
        const held = (i: number) =>
          vaults[i]!.conflicts.list().filter((c) => c.reason === 'upstream-conflict' && c.patientId === patient.id);
        try {
          for (const sync of syncs) await sync.syncOnce();
          for (const vault of vaults) expect(vault.resources.read('Patient', patient.id!)).not.toBeNull();

          // The EHR discharged the patient 30 minutes ago; the hub learns it at the next cycle, and the
          // workstations, whose outboxes are empty, purge the patient at their next sync.
          const ended = new Date(Date.now() - 30 * 60_000).toISOString();
          await upstream.repo.updateResource<Encounter>({
            ...stay,
            status: 'finished',
            period: { ...stay.period, end: ended },
            location: [{ location: { reference: wardLocationRef }, status: 'completed' }],
          });
          expect((await mirror.runCycle()).ok).toBe(true);
          for (const sync of syncs) await sync.syncOnce();
          for (const vault of vaults) expect(vault.resources.read('Patient', patient.id!)).toBeNull();

          // Then a heart rate recorded on the ward during a downtime, 10 minutes ago, reaches the hub
          // (late documentation of a patient who just left), and the hub checks it against the EHR.
          const clientId = randomUUID();
          const res = await device.fetch('/fhir', {
            method: 'POST',
            body: upload(vitalSign(patient.id!, stay.id!, 97, new Date(Date.now() - 10 * 60_000)), clientId, randomUUID()),
          });
          expect(res.status, await res.clone().text()).toBe(200);
          expect((await mirror.runCycle()).ok).toBe(true);
          const [conflictRow] = await hub.db.query<{ state: string }>(
            `SELECT state FROM upstream_outbox WHERE res_type = 'Observation' AND state = 'conflict' AND res_id IN
               (SELECT res_id FROM fhir_tokens WHERE res_type = 'Observation' AND param = 'identifier' AND value = $1)`,
            [clientId],
          );
          expect(conflictRow?.state).toBe('conflict');

          // Both workstations list the conflict after their next sync, with the EHR's finished stay
          // beside the heart rate, though neither holds the patient's chart any more.
          for (const sync of syncs) await sync.syncOnce();
          for (let i = 0; i < 2; i++) {
            const listed = held(i);
            expect(listed).toHaveLength(1);
            expect(listed[0]).toMatchObject({ errorCode: 'UPSTREAM_PATIENT_DISCHARGED' });
            expect(listed[0]!.hub).toEqual([expect.objectContaining({ resourceType: 'Encounter', id: stay.id, status: 'finished' })]);
          }
          // A later sync keeps it (the hub is the authority: it is open until settled).
          await syncs[1]!.syncOnce();
          expect(held(1)).toHaveLength(1);

          // A nurse at the first workstation sends it to the EHR anyway: it goes once, and the second
          // workstation's conflict is gone after its next sync.
          const documentation = openDocumentation({ vault: vaults[0]!, sync: syncs[0]!, logger: stations[0]!.logger });
          expect(documentation.resolveConflict(held(0)[0]!.conflictId, 'resend-local', undefined, author)).not.toBeNull();
          await syncs[0]!.syncOnce();
          expect(vaults[0]!.outbox.pendingResourceKeys().size).toBe(0);
          expect((await mirror.runCycle()).ok).toBe(true);
          expect((await mirror.runCycle()).ok).toBe(true);
          const copies = (await upstreamAll<Observation>('Observation')).filter((o) => o.identifier?.some((i) => i.value === clientId));
          expect(copies).toHaveLength(1);
          await syncs[1]!.syncOnce();
          expect(held(1)).toEqual([]);
          expect(held(0)).toEqual([]);
        } finally {
          for (const sync of syncs) await sync.close();
          for (const vault of vaults) vault.close();
          for (const station of stations) await station.remove();
        }
      });

      it.runIf(engine === 'postgres')(
        'runs the pull and the write-back in one of two hubs on one database; the other takes over when the leader stops or its lease expires',
        async () => {
          const admission = (await upstreamAll<Encounter>('Encounter')).find(
            (e) => e.subject?.reference === `Patient/${patients[0]}` && e.status === 'in-progress',
          )!;
          const copiesOf = async (clientId: string): Promise<number> =>
            (await upstreamAll<Observation>('Observation')).filter((o) => o.identifier?.some((i) => i.value === clientId)).length;
          const document = async (): Promise<string> => {
            const clientId = randomUUID();
            const res = await device.fetch('/fhir', {
              method: 'POST',
              body: upload(vitalSign(patients[0]!, admission.id!, 80, new Date()), clientId, randomUUID()),
            });
            expect(res.status).toBe(200);
            return clientId;
          };
          const second = await startHub({ engine, postgresUrl: hub.postgresUrl!, hubKey: hub.hubKey });
          const other = await createUpstreamMirror({ db: second.db, config, logger: pino({ level: 'silent' }) });
          let late: UpstreamMirror | undefined;
          try {
            // Both hubs cycle at once: the one holding the lease runs, the other asks the upstream nothing.
            const first = await document();
            const reports = await Promise.all([mirror.runCycle(), other.runCycle()]);
            expect(reports.map((r) => r.leader)).toEqual([true, false]);
            expect(reports[1]).toMatchObject({ written: 0, sent: 0 });
            const asked = upstream.requests.length;
            expect((await other.runCycle()).leader).toBe(false);
            expect(upstream.requests.length).toBe(asked);
            expect(await copiesOf(first)).toBe(1);
            expect(formatUpstreamStatus(await readUpstreamStatus(second.db, new Date())).join('\n')).toMatch(
              /^leader: \S+:\d+:\S+ \(lease until /m,
            );

            // The leader stops: the other takes over at its next cycle and sends what was documented meanwhile, once.
            const meanwhile = await document();
            await mirror.stop();
            expect((await other.runCycle()).leader).toBe(true);
            expect(await copiesOf(meanwhile)).toBe(1);

            // A hub that starts while the other leads stands by.
            mirror = await newMirror();
            expect((await mirror.runCycle()).leader).toBe(false);

            // The leader dies without giving the lease up: once it has expired (a clock past it), another takes over,
            // and the old leader, back, stands by; documentation still goes once whatever runs at the same time.
            late = await createUpstreamMirror({
              db: hub.db,
              config,
              logger: pino({ level: 'silent' }),
              clock: () => new Date(Date.now() + 10 * 60_000),
            });
            expect((await late.runCycle()).leader).toBe(true);
            const afterTakeover = await document();
            const together = await Promise.all([late.runCycle(), other.runCycle(), mirror.runCycle()]);
            expect(together.map((r) => r.leader)).toEqual([true, false, false]);
            expect(await copiesOf(afterTakeover)).toBe(1);
            expect(await copiesOf(first)).toBe(1);
            expect(await copiesOf(meanwhile)).toBe(1);
          } finally {
            await late?.stop();
            await other.stop();
            await second.stop();
          }
          // The lease was given up: the first hub leads again.
          expect((await mirror.runCycle()).leader).toBe(true);
        },
        120_000,
      );
    });

    /** The feed's event times: yesterday (UTC), before the EHR's changes the tests date from now, whatever today is. */
    const at = hl7Calendar(1);

    /** The EHR's interface engine as an ADT feed over MLLP with TLS, open while the calling block runs. */
    function adtFeedOverMllp(
      name: string,
      controlPrefix: string,
    ): (fields: Omit<AdtFields, 'secret' | 'controlId'>) => ReturnType<Hl7Sender['send']> {
      let listener: MllpListener | undefined;
      let sender: Hl7Sender | undefined;
      let secret = '';
      let sequence = 0;

      beforeAll(async () => {
        ({ secret } = await addFeed(hub.db, { name, application: 'EHR', facility: 'GENERAL' }, new Date()));
        const tls = createDevCertificate();
        listener = await startMllpListener({ db: hub.db, logger: pino({ level: 'silent' }), port: 0, host: '127.0.0.1', tls });
        sender = await openHl7Sender({ port: listener.port, caPem: tls.certPem });
      });

      afterAll(async () => {
        await sender?.close();
        await listener?.close();
      });

      return (fields) => sender!.send(adtMessage({ secret, controlId: `${controlPrefix}${++sequence}`, ...fields }));
    }

    /** A patient registered in the EHR, with the hospital's MRN (typed MR); returns the EHR's id. */
    async function registerEhrPatient(mrn: string, name: { family: string; given: string }, birthDate: string): Promise<string> {
      const patient = await upstream.repo.createResource<Patient>({
        resourceType: 'Patient',
        name: [{ family: name.family, given: [name.given] }],
        gender: 'unknown',
        birthDate,
        identifier: [
          {
            type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] },
            system: HOSPITAL_MRN_SYSTEM,
            value: mrn,
          },
        ],
      });
      return patient.id!;
    }

    describe('one patient whether the ADT feed or the EHR brought them first (same MRN)', () => {
      const send = adtFeedOverMllp('ehr-adt', 'MATCH');

      const ehrPatient = (mrn: string, family: string) => registerEhrPatient(mrn, { family, given: 'Alex' }, '1950-01-01');

      async function ehrAdmit(patientId: string): Promise<void> {
        await upstream.repo.createResource<Encounter>({
          resourceType: 'Encounter',
          status: 'in-progress',
          class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
          subject: { reference: `Patient/${patientId}` },
          period: { start: new Date(Date.now() - 3600_000).toISOString() },
          location: [{ location: { reference: wardLocationRef }, status: 'active' }],
        });
      }

      /** Every live Patient at the hub carrying this MRN, as the ADT feed and workstations look it up. */
      async function hubPatientsWithMrn(mrn: string): Promise<Patient[]> {
        const rows = await hub.db.query<{ content: string }>(
          `SELECT CAST(r.content AS TEXT) AS content FROM fhir_tokens t JOIN fhir_resources r ON r.res_type = t.res_type AND r.res_id = t.res_id
       WHERE t.res_type = 'Patient' AND t.param = 'identifier' AND t.system = $1 AND t.value = $2 AND r.deleted = 0`,
          [MRN_SYSTEM, mrn],
        );
        return rows.map((row) => JSON.parse(row.content) as Patient);
      }

      const standing = (found: Patient[]): (string | undefined)[] => found.filter((p) => p.active !== false).map((p) => p.id);

      it('merges the patient the ADT feed admitted into the EHR patient the mirror pulls later', async () => {
        const mrn = 'MRN7700001';
        const ehrId = await ehrPatient(mrn, 'Matchfirst');
        expect(
          (await send({ event: 'A01', at: at('080000'), mrn, family: 'Matchfirst', location: `${WARD}^7^1`, visit: 'V770001' })).code,
        ).toBe('AA');
        const [admitted] = await hubPatientsWithMrn(mrn);
        expect(admitted?.id).not.toBe(ehrId);

        await ehrAdmit(ehrId);
        expect((await mirror.runCycle()).ok).toBe(true);
        const found = await hubPatientsWithMrn(mrn);
        expect(standing(found)).toEqual([ehrId]);
        const merged = found.find((p) => p.id === admitted!.id)!;
        expect(merged.link).toEqual([{ other: { reference: `Patient/${ehrId}` }, type: 'replaced-by' }]);
        // The feed's admission now belongs to the EHR's patient, who is on the ward census once.
        const encounters = await hubSearch<Encounter>(`Encounter?patient=${ehrId}`);
        expect(encounters.filter((e) => e.identifier?.some((i) => i.value === 'V770001'))).toHaveLength(1);
        const census = await hubSearch<Resource>(`Encounter?location=Location/ward-${WARD}&status=in-progress&_include=Encounter:patient`);
        const onWard = census.filter((r) => r.resourceType === 'Patient').map((r) => r.id);
        expect(onWard.filter((id) => id === ehrId)).toHaveLength(1);
        expect(onWard).not.toContain(admitted!.id);

        // The feed's next events for that MRN reach the one patient.
        expect((await send({ event: 'A02', at: at('090000'), mrn, location: `${WARD}^8^1`, visit: 'V770001' })).code).toBe('AA');
        expect(standing(await hubPatientsWithMrn(mrn))).toEqual([ehrId]);
      });

      it("sends documentation held for a patient known only from the ADT feed in the cycle after the feed's A40 merges them into the EHR's patient", async () => {
        const ehrMrn = 'MRN7700031';
        const feedMrn = 'MRN7700032';
        const ehrId = await ehrPatient(ehrMrn, 'Feedmerge');
        await ehrAdmit(ehrId);
        expect((await mirror.runCycle()).ok).toBe(true);
        // The feed registered the same person under a second MRN; a nurse documents on that record.
        expect(
          (
            await send({
              event: 'A01',
              at: '20261206120000',
              mrn: feedMrn,
              family: 'Feedmerge',
              location: `${WARD}^31^1`,
              visit: 'V770031',
            })
          ).code,
        ).toBe('AA');
        const [feedPatient] = await hubPatientsWithMrn(feedMrn);
        expect(feedPatient?.id).not.toBe(ehrId);
        const clientId = randomUUID();
        const { encounter: _stay, ...observation } = vitalSign(feedPatient!.id!, 'none', 97, new Date(Date.now() - 60_000));
        await putResources(
          hub.db,
          [{ ...observation, id: randomUUID(), identifier: [{ system: CLIENT_ID_SYSTEM, value: clientId }] } as Observation],
          new Date(),
        );
        const copies = async () =>
          (await upstreamAll<Observation>('Observation')).filter((o) => o.identifier?.some((i) => i.value === clientId));
        expect((await mirror.runCycle()).ok).toBe(true);
        expect(await copies()).toEqual([]);
        const held = await hub.db.query<{ seq: number }>(
          `SELECT o.seq FROM upstream_outbox o JOIN fhir_tokens t ON t.res_type = o.res_type AND t.res_id = o.res_id
           WHERE o.state = 'held' AND t.param = 'identifier' AND t.system = $1 AND t.value = $2`,
          [CLIENT_ID_SYSTEM, clientId],
        );
        expect(held).toHaveLength(1);
        // Held long enough that its next look is an hour away.
        await hub.db.execute('UPDATE upstream_outbox SET next_attempt_ms = $2 WHERE seq = $1', [held[0]!.seq, Date.now() + 3600_000]);

        // The EHR's interface engine merges the second registration into the EHR's patient (A40).
        expect((await send({ event: 'A40', at: '20261206121000', mrn: ehrMrn, priorMrn: feedMrn, family: 'Feedmerge' })).code).toBe('AA');
        expect((await mirror.runCycle()).ok).toBe(true);
        const sent = await copies();
        expect(sent).toHaveLength(1);
        expect(sent[0]!.subject?.reference).toBe(`Patient/${ehrId}`);
        expect((await mirror.runCycle()).ok).toBe(true);
        expect(await copies()).toHaveLength(1);
      });

      it('admits (ADT) a patient the mirror already holds onto that patient: no second one, and the mirror does not write it back', async () => {
        const mrn = 'MRN7700002';
        const ehrId = await ehrPatient(mrn, 'Mirrorfirst');
        await ehrAdmit(ehrId);
        expect((await mirror.runCycle()).ok).toBe(true);
        expect(standing(await hubPatientsWithMrn(mrn))).toEqual([ehrId]);

        expect(
          (await send({ event: 'A01', at: at('081000'), mrn, family: 'Mirrorfirst', location: `${WARD}^9^1`, visit: 'V770002' })).code,
        ).toBe('AA');
        expect(standing(await hubPatientsWithMrn(mrn))).toEqual([ehrId]);
        const encounters = await hubSearch<Encounter>(`Encounter?patient=${ehrId}`);
        expect(encounters.filter((e) => e.identifier?.some((i) => i.value === 'V770002'))).toHaveLength(1);
        const before = await hubVersionCount();
        expect((await mirror.runCycle()).ok).toBe(true);
        expect(await hubVersionCount()).toBe(before);
      });
    });

    describe("one Encounter per stay whether the ADT feed's visit or the EHR's encounter came first (mapped visit number)", () => {
      const send = adtFeedOverMllp('ehr-adt-visits', 'VISIT');

      const ehrPatient = (mrn: string, family: string) => registerEhrPatient(mrn, { family, given: 'Sam' }, '1948-03-02');

      /** The EHR's admission to the ward, numbered in the EHR's visit-number system. */
      async function ehrStay(patientId: string, visitNumber: string): Promise<Encounter> {
        return upstream.repo.createResource<Encounter>({
          resourceType: 'Encounter',
          identifier: [{ use: 'official', system: HOSPITAL_VISIT_SYSTEM, value: visitNumber }],
          status: 'in-progress',
          class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
          subject: { reference: `Patient/${patientId}` },
          period: { start: new Date(Date.now() - 3600_000).toISOString() },
          location: [{ location: { reference: wardLocationRef }, status: 'active' }],
          reasonCode: [{ text: 'Community-acquired pneumonia' }],
          serviceProvider: { display: 'General Hospital' },
        });
      }

      /** Every live Encounter at the hub's FHIR API for this patient. */
      const hubStays = (patientId: string) => hubSearch<Encounter>(`Encounter?patient=${patientId}`);

      async function openStation() {
        const station = await enrollTestWorkstation(hub, WARD);
        const vault = await station.openVault();
        const sync = station.engine(vault, { pageSize: 100 });
        return { vault, sync };
      }

      it("merges the feed's admitted visit into the EHR's encounter the mirror pulls later: one Encounter, the feed's ward and status, the EHR's details", async () => {
        const mrn = 'MRN7700011';
        const visit = 'V770011';
        const ehrId = await ehrPatient(mrn, 'Stayfeedfirst');
        const { vault, sync } = await openStation();
        try {
          expect((await send({ event: 'A01', at: at('100000'), mrn, family: 'Stayfeedfirst', location: `${WARD}^11^1`, visit })).code).toBe(
            'AA',
          );
          await sync.syncOnce();
          const rows = () => vault.census().filter((entry) => entry.mrn === mrn);
          expect(rows()).toHaveLength(1);
          const before = rows()[0]!;
          const feedEncounterId = before.encounterId;
          // Documentation at the hub against the feed's encounter.
          const noteId = randomUUID();
          await putResources(
            hub.db,
            [{ ...vitalSign(before.patientId, feedEncounterId, 91, new Date(Date.now() - 600_000)), id: noteId } as Observation],
            new Date(),
          );

          const stay = await ehrStay(ehrId, visit);
          const cycle = await mirror.runCycle();
          expect(cycle.ok).toBe(true);

          // One Encounter at the hub's FHIR API: the EHR's id, the feed's bed and status, the EHR's reason.
          const stays = await hubStays(ehrId);
          expect(stays.map((e) => e.id)).toEqual([stay.id]);
          const one = stays[0]!;
          expect(one.status).toBe('in-progress');
          expect(one.identifier).toEqual(
            expect.arrayContaining([
              expect.objectContaining({ system: 'urn:wardline:visit-number:GENERAL', value: visit }),
              expect.objectContaining({ system: HOSPITAL_VISIT_SYSTEM, value: visit }),
            ]),
          );
          expect(one.location?.map((l) => l.location.reference)).toEqual([`Location/ward-${WARD}`, `Location/ward-${WARD}-room-11-bed-1`]);
          expect(one.reasonCode).toEqual([{ text: 'Community-acquired pneumonia' }]);
          expect(one.period?.start).toBe(isoOfHl7(at('100000')));
          expect((await device.fetch(`/fhir/Encounter/${feedEncounterId}`)).status).toBe(410);
          const note = (await hubSearch<Observation>(`Observation?_id=${noteId}`))[0]!;
          expect(note.encounter?.reference).toBe(`Encounter/${stay.id}`);
          expect(note.subject?.reference).toBe(`Patient/${ehrId}`);

          // The workstation's census after its next sync: the same one row, same bed and admission.
          await sync.syncOnce();
          expect(rows()).toHaveLength(1);
          expect(rows()[0]).toMatchObject({ bed: before.bed, admittedAt: before.admittedAt, encounterId: stay.id, patientId: ehrId });
          expect(vault.resources.read('Encounter', feedEncounterId)).toBeNull();

          // A re-pull writes nothing; a new EHR version adds its details and keeps the feed's status and ward.
          const versions = await hubVersionCount();
          expect((await mirror.runCycle()).ok).toBe(true);
          expect(await hubVersionCount()).toBe(versions);
          await upstream.repo.updateResource<Encounter>({
            ...stay,
            status: 'finished',
            reasonCode: [{ text: 'Pneumonia, right lower lobe' }],
            location: [{ location: { reference: wardLocationRef }, status: 'completed' }],
          });
          expect((await mirror.runCycle()).ok).toBe(true);
          const updated = (await hubStays(ehrId))[0]!;
          expect(updated).toMatchObject({ id: stay.id, status: 'in-progress', reasonCode: [{ text: 'Pneumonia, right lower lobe' }] });
          expect(updated.location?.map((l) => l.location.reference)).toContain(`Location/ward-${WARD}-room-11-bed-1`);

          // The feed's next events reach the one Encounter: the discharge takes the patient off the census.
          expect((await send({ event: 'A03', at: at('120000'), mrn, visit })).code).toBe('AA');
          // (Off the ward now, the patient is outside the ward device's scope: read at the store.)
          const [discharged] = await hub.db.query<{ content: string }>(
            `SELECT CAST(content AS TEXT) AS content FROM fhir_resources WHERE res_type = 'Encounter' AND res_id = $1 AND deleted = 0`,
            [stay.id],
          );
          expect(JSON.parse(discharged!.content) as Encounter).toMatchObject({
            status: 'finished',
            period: { end: isoOfHl7(at('120000')) },
          });
          await sync.syncOnce();
          expect(rows()).toHaveLength(0);
        } finally {
          vault.close();
        }
      });

      it("applies the feed's admit to the EHR's encounter the mirror pulled first: one Encounter, the workstation's census row kept", async () => {
        const mrn = 'MRN7700012';
        const visit = 'V770012';
        const ehrId = await ehrPatient(mrn, 'Stayehrfirst');
        const stay = await ehrStay(ehrId, visit);
        const { vault, sync } = await openStation();
        try {
          expect((await mirror.runCycle()).ok).toBe(true);
          await sync.syncOnce();
          const rows = () => vault.census().filter((entry) => entry.mrn === mrn);
          expect(rows().map((entry) => [entry.patientId, entry.encounterId])).toEqual([[ehrId, stay.id]]);

          expect((await send({ event: 'A01', at: at('101500'), mrn, family: 'Stayehrfirst', location: `${WARD}^12^1`, visit })).code).toBe(
            'AA',
          );
          const stays = await hubStays(ehrId);
          expect(stays.map((e) => e.id)).toEqual([stay.id]);
          expect(stays[0]!.location?.map((l) => l.location.reference)).toEqual([
            `Location/ward-${WARD}`,
            `Location/ward-${WARD}-room-12-bed-1`,
          ]);
          expect(stays[0]!.reasonCode).toEqual([{ text: 'Community-acquired pneumonia' }]);
          // The mirror writes nothing back over the feed's admit.
          const versions = await hubVersionCount();
          expect((await mirror.runCycle()).ok).toBe(true);
          expect(await hubVersionCount()).toBe(versions);

          await sync.syncOnce();
          expect(rows().map((entry) => [entry.patientId, entry.encounterId])).toEqual([[ehrId, stay.id]]);
          expect(rows()[0]!.bed).not.toBeNull();

          // The feed's transfer moves the one Encounter to another bed; a second admit of the visit is refused.
          expect((await send({ event: 'A02', at: at('110000'), mrn, location: `${WARD}^12^2`, visit })).code).toBe('AA');
          expect((await send({ event: 'A01', at: at('111000'), mrn, location: `${WARD}^12^2`, visit })).code).toBe('AE');
          const moved = await hubStays(ehrId);
          expect(moved.map((e) => e.id)).toEqual([stay.id]);
          expect(moved[0]!.location?.filter((l) => l.status === 'active').map((l) => l.location.reference)).toEqual([
            `Location/ward-${WARD}`,
            `Location/ward-${WARD}-room-12-bed-2`,
          ]);
        } finally {
          vault.close();
        }
      });
      it("lands vitals recorded offline against the feed's patient and stay on the EHR's after the match: once, at the hub, upstream and on the workstation", async () => {
        const mrn = 'MRN7700013';
        const visit = 'V770013';
        const ehrId = await ehrPatient(mrn, 'Stayoffline');
        const nurse = await addWardNurse(hub.db, WARD, 'stay-offline-nurse');
        const station = await enrollTestWorkstation(hub, WARD);
        const vault = await station.openVault();
        const sync = station.engine(vault, { pageSize: 100 });
        const documentation = openDocumentation({ vault, sync, logger: station.logger });
        try {
          expect((await send({ event: 'A01', at: at('103000'), mrn, family: 'Stayoffline', location: `${WARD}^13^1`, visit })).code).toBe(
            'AA',
          );
          await sync.syncOnce();
          const row = vault.census().find((entry) => entry.mrn === mrn)!;
          expect(row.patientId).not.toBe(ehrId);

          // The workstation cannot reach the hub; the nurse documents on the feed's patient and stay.
          const receipt = documentation.recordVitalSigns(row.patientId, { heartRate: 102, respiratoryRate: 22 }, nurse);
          // Meanwhile the mirror pulls the EHR's patient and stay: the feed's are merged into them.
          const stay = await ehrStay(ehrId, visit);
          expect((await mirror.runCycle()).ok).toBe(true);
          expect((await device.fetch(`/fhir/Encounter/${row.encounterId}`)).status).toBe(410);

          // Back online: the upload is taken, on the EHR's patient and stay.
          await sync.syncOnce();
          expect(vault.outbox.count()).toBe(0);
          expect(vault.conflicts.count()).toBe(0);
          const documented = (await hubSearch<Observation>(`Observation?patient=${ehrId}&_count=200`)).filter((o) =>
            o.identifier?.some((i) => i.system === CLIENT_ID_SYSTEM),
          );
          expect(documented).toHaveLength(receipt.resourceIds.length);
          for (const observation of documented) {
            expect(observation.subject?.reference).toBe(`Patient/${ehrId}`);
            expect(observation.encounter?.reference).toBe(`Encounter/${stay.id}`);
          }
          const dangling = await hub.db.query(
            `SELECT res_id FROM fhir_resources WHERE res_type = 'Observation' AND deleted = 0 AND patient_id = $1`,
            [row.patientId],
          );
          expect(dangling).toEqual([]);

          // Sent back to the EHR once, on its own patient and stay.
          expect((await mirror.runCycle()).ok).toBe(true);
          const clientIds = documented.flatMap((o) => o.identifier!.filter((i) => i.system === CLIENT_ID_SYSTEM).map((i) => i.value));
          const upstreamCopies = (await upstreamAll<Observation>('Observation')).filter((o) =>
            o.identifier?.some((i) => clientIds.includes(i.value)),
          );
          expect(upstreamCopies).toHaveLength(clientIds.length);
          for (const copy of upstreamCopies) {
            expect(copy.subject?.reference).toBe(`Patient/${ehrId}`);
            expect(copy.encounter?.reference).toBe(`Encounter/${stay.id}`);
          }

          // The workstation: one census row on the EHR's stay, the vitals once in that chart.
          await sync.syncOnce();
          expect(
            vault
              .census()
              .filter((entry) => entry.mrn === mrn)
              .map((entry) => [entry.patientId, entry.encounterId]),
          ).toEqual([[ehrId, stay.id]]);
          const cached = vault.resources
            .ofPatientBetween(ehrId, 'Observation', 0, Number.MAX_SAFE_INTEGER)
            .filter((o) => o.identifier?.some((i) => i.system === CLIENT_ID_SYSTEM));
          expect(cached).toHaveLength(receipt.resourceIds.length);
        } finally {
          await sync.close();
          vault.close();
          await station.remove();
        }
      });

      it("holds vitals about a patient the ADT feed admitted before the EHR's records were matched, then sends them once, on the EHR's patient and stay", async () => {
        const mrn = 'MRN7700014';
        const visit = 'V770014';
        const ehrId = await ehrPatient(mrn, 'Stayheld');
        const nurse = await addWardNurse(hub.db, WARD, 'stay-held-nurse');
        const station = await enrollTestWorkstation(hub, WARD);
        const vault = await station.openVault();
        const sync = station.engine(vault, { pageSize: 100 });
        const documentation = openDocumentation({ vault, sync, logger: station.logger });
        try {
          expect((await send({ event: 'A01', at: at('104000'), mrn, family: 'Stayheld', location: `${WARD}^14^1`, visit })).code).toBe(
            'AA',
          );
          await sync.syncOnce();
          const row = vault.census().find((entry) => entry.mrn === mrn)!;
          expect(row.patientId).not.toBe(ehrId);
          // Online: the vitals reach the hub on the feed's patient and stay, which the EHR does not know.
          const receipt = documentation.recordVitalSigns(row.patientId, { heartRate: 104, respiratoryRate: 21 }, nurse);
          await sync.syncOnce();
          expect(vault.outbox.count()).toBe(0);
          const documented = (await hubSearch<Observation>(`Observation?patient=${row.patientId}&_count=200`)).filter((o) =>
            o.identifier?.some((i) => i.system === CLIENT_ID_SYSTEM),
          );
          expect(documented).toHaveLength(receipt.resourceIds.length);
          const clientIds = documented.flatMap((o) => o.identifier!.filter((i) => i.system === CLIENT_ID_SYSTEM).map((i) => i.value));
          const upstreamCopies = async () =>
            (await upstreamAll<Observation>('Observation')).filter((o) => o.identifier?.some((i) => clientIds.includes(i.value)));

          // Not sent with the hub's ids: held, and IT sees why.
          expect((await mirror.runCycle()).ok).toBe(true);
          expect(await upstreamCopies()).toEqual([]);
          const held = await readUpstreamStatus(hub.db, new Date());
          const heldHere = held.attention.filter((e) => e.state === 'held' && documented.some((o) => o.id === e.id));
          expect(heldHere).toHaveLength(documented.length);
          for (const entry of heldHere) expect(entry.reason).toContain('known to the hub only from the ADT feed');
          expect(formatUpstreamStatus(held).join('\n')).toMatch(/held until the mirror matches[\s\S]*HELD Observation\//);
          // Backed off: the next cycles do not look at them again until a match wakes them (or their backoff ends).
          const due = await hub.db.query<{ next_attempt_ms: number }>(
            `SELECT next_attempt_ms FROM upstream_outbox WHERE state = 'held' AND res_type = 'Observation' AND res_id IN (${documented.map((_, i) => `$${i + 1}`).join(', ')})`,
            documented.map((o) => o.id!),
          );
          expect(due).toHaveLength(documented.length);
          for (const entry of due) expect(Number(entry.next_attempt_ms)).toBeGreaterThan(Date.now());

          // The EHR admits the patient to the ward: the mirror matches, and the vitals go out once, on the EHR's records.
          const stay = await ehrStay(ehrId, visit);
          expect((await mirror.runCycle()).ok).toBe(true);
          expect((await mirror.runCycle()).ok).toBe(true);
          const copies = await upstreamCopies();
          expect(copies).toHaveLength(clientIds.length);
          for (const copy of copies) {
            const history = await upstream.repo.readHistory<Observation>('Observation', copy.id!);
            for (const version of (history.entry ?? []).map((entry) => entry.resource!)) {
              expect(version.subject?.reference).toBe(`Patient/${ehrId}`);
              expect(version.encounter?.reference).toBe(`Encounter/${stay.id}`);
            }
          }
          const provenances = (await upstreamAll<Provenance>('Provenance')).filter((p) =>
            p.target?.some((t) => copies.some((c) => t.reference === `Observation/${c.id}`)),
          );
          expect(provenances.length).toBeGreaterThan(0);
          for (const provenance of provenances) expect(JSON.stringify(provenance)).not.toContain(row.patientId);
          const after = await readUpstreamStatus(hub.db, new Date());
          expect(after.attention.filter((e) => documented.some((o) => o.id === e.id))).toEqual([]);
          expect(after.outbox.held).toBe(0);
        } finally {
          await sync.close();
          vault.close();
          await station.remove();
        }
      });

      it('tells IT why documentation is held as the reason changes: first its patient, then (the patient matched) its stay; then sends it once', async () => {
        const mrn = 'MRN7700016';
        const visit = 'V770016';
        const ehrId = await ehrPatient(mrn, 'Reheld');
        expect((await send({ event: 'A01', at: at('104600'), mrn, family: 'Reheld', location: `${WARD}^16^1`, visit })).code).toBe('AA');
        const [feedPatient] = (
          await hub.db.query<{ res_id: string }>(
            `SELECT res_id AS res_id FROM fhir_tokens WHERE res_type = 'Patient' AND param = 'identifier' AND system = $1 AND value = $2`,
            [MRN_SYSTEM, mrn],
          )
        )
          .map((row) => ({ id: row.res_id }))
          .filter((p) => p.id !== ehrId);
        const [feedStay] = await hubStays(feedPatient!.id!);
        const clientId = randomUUID();
        const observationId = randomUUID();
        await putResources(
          hub.db,
          [
            {
              ...vitalSign(feedPatient!.id!, feedStay!.id!, 88, new Date(Date.now() - 300_000)),
              id: observationId,
              identifier: [{ system: CLIENT_ID_SYSTEM, value: clientId }],
            } as Observation,
          ],
          new Date(),
        );
        const reason = async () =>
          (await readUpstreamStatus(hub.db, new Date())).attention.find((e) => e.id === observationId && e.state === 'held')?.reason;
        const copies = async () =>
          (await upstreamAll<Observation>('Observation')).filter((o) => o.identifier?.some((i) => i.value === clientId));

        expect((await mirror.runCycle()).ok).toBe(true);
        expect(await reason()).toContain(`its patient (Patient/${feedPatient!.id!})`);
        // The EHR puts the patient on the ward under another visit number: the patient is matched, the stay is not.
        await ehrStay(ehrId, 'E770016');
        expect((await mirror.runCycle()).ok).toBe(true);
        expect(await copies()).toEqual([]);
        expect(await reason()).toContain(`its stay (Encounter/${feedStay!.id!})`);
        // The EHR's record of this very stay arrives: matched, and the vitals go out in that cycle, once.
        const stay = await ehrStay(ehrId, visit);
        expect((await mirror.runCycle()).ok).toBe(true);
        const sent = await copies();
        expect(sent).toHaveLength(1);
        expect(sent[0]!.subject?.reference).toBe(`Patient/${ehrId}`);
        expect(sent[0]!.encounter?.reference).toBe(`Encounter/${stay.id}`);
        expect(await reason()).toBeUndefined();
      });

      it('lists documentation the EHR refused before the held entries in upstream status, however many are held', async () => {
        // Rows of the outbox only (seqs below any real version: the sender never reaches them), removed after.
        const heldCount = 250;
        const queuedAt = new Date().toISOString();
        try {
          for (let i = 0; i < heldCount; i++) {
            await hub.db.execute(
              `INSERT INTO upstream_outbox (seq, res_type, res_id, version, state, reason, queued_at, next_attempt_ms) VALUES ($1, 'Observation', $2, 1, 'held', 'held: its patient is known to the hub only from the ADT feed', $3, $4)`,
              [-10_000 + i, randomUUID(), queuedAt, Date.now() + DAY_MS],
            );
          }
          const refusedId = randomUUID();
          await hub.db.execute(
            `INSERT INTO upstream_outbox (seq, res_type, res_id, version, state, attempts, reason, queued_at) VALUES (-1000, 'Observation', $1, 1, 'refused', 1, 'HTTP 422 invalid', $2)`,
            [refusedId, queuedAt],
          );
          const status = await readUpstreamStatus(hub.db, new Date());
          expect(status.attention[0]).toEqual(expect.objectContaining({ id: refusedId, state: 'refused' }));
          const lines = formatUpstreamStatus(status).join('\n');
          expect(lines).toContain(`REFUSED Observation/${refusedId}`);
          const listed = status.attention.filter((e) => e.state === 'held').length;
          expect(listed).toBeLessThan(heldCount);
          expect(lines).toContain(`… and ${status.outbox.held - listed} more held (${status.outbox.held} held in all`);
        } finally {
          await hub.db.execute('DELETE FROM upstream_outbox WHERE seq < 0');
        }
      });

      it("sends documentation on a stay no mapped visit number can match to the EHR's patient without that stay, once", async () => {
        const mrn = 'MRN7700015';
        const ehrId = await ehrPatient(mrn, 'Stayunmapped');
        const ehrEncounter = await ehrStay(ehrId, 'E770015');
        expect((await mirror.runCycle()).ok).toBe(true);
        // The feed numbers this visit under an authority no --upstream-visit-system maps: two Encounters stay.
        expect(
          (
            await send({
              event: 'A01',
              at: at('104500'),
              mrn,
              family: 'Stayunmapped',
              location: `${WARD}^15^1`,
              visit: 'V770015^^^CLINIC',
            })
          ).code,
        ).toBe('AA');
        const feedStay = (await hubStays(ehrId)).find((e) => e.id !== ehrEncounter.id)!;
        expect(feedStay).toBeDefined();
        const clientId = randomUUID();
        await putResources(
          hub.db,
          [
            {
              ...vitalSign(ehrId, feedStay.id!, 96, new Date(Date.now() - 300_000)),
              id: randomUUID(),
              identifier: [{ system: CLIENT_ID_SYSTEM, value: clientId }],
            } as Observation,
          ],
          new Date(),
        );
        expect((await mirror.runCycle()).ok).toBe(true);
        const copies = (await upstreamAll<Observation>('Observation')).filter((o) => o.identifier?.some((i) => i.value === clientId));
        expect(copies).toHaveLength(1);
        expect(copies[0]!.subject?.reference).toBe(`Patient/${ehrId}`);
        expect(copies[0]!.encounter).toBeUndefined();
      });
    });

    describe.runIf(engine === 'sqlite')('wardline-hub serve --upstream and wardline-hub upstream status', () => {
      it('mirrors the ward from the command line and reports its progress to IT', async () => {
        const data = join(folder, 'cli-hub');
        // As IT starts a hub: its key, then the ward the mirror fills (serve refuses a ward it does not serve).
        const store = ['--data', data, '--key-file', join(folder, 'cli-hub.key')];
        expect((await hubCli(['init-key', ...store])).code).toBe(0);
        expect((await hubCli(['ward', 'add', WARD, '--name', '4 North', ...store])).code).toBe(0);
        await writeFile(join(folder, 'upstream-key.pem'), config.privateKeyPem, { mode: 0o600 });
        await writeFile(join(folder, 'upstream-ca.pem'), upstream.caPem);
        const stop = new AbortController();
        const serving = hubCli(
          [
            'serve',
            '--dev-tls',
            '--port',
            '0',
            ...store,
            '--log-level',
            'silent',
            '--upstream',
            upstream.baseUrl,
            '--upstream-client-id',
            CLIENT_ID,
            '--upstream-key',
            join(folder, 'upstream-key.pem'),
            '--upstream-ca',
            join(folder, 'upstream-ca.pem'),
            '--upstream-ward',
            `${WARD}=${wardLocationRef}`,
            '--upstream-poll-seconds',
            '1',
          ],
          { stop: stop.signal },
        );
        let status = '';
        for (let i = 0; i < 120 && !/mirror:4north: last success 20/.test(status); i++) {
          await new Promise((resolve) => setTimeout(resolve, 500));
          status = (await hubCli(['upstream', 'status', ...store])).out;
        }
        stop.abort();
        const served = await serving;
        expect(served.err).toBe('');
        expect(served.code).toBe(0);
        expect(served.out).toContain('Mirroring 1 ward(s) from the upstream EHR');
        expect(status).toMatch(/mirror:4north: last success \S+ \(lag \d+ s\), [1-9]\d* resources written/);
        expect(status).toMatch(/documentation sent back: 0 acknowledged, 0 waiting, 0 refused/);
      }, 120_000);

      it('refuses --upstream without its client id, key or ward, with a usage line', async () => {
        const missing = await hubCli(['serve', '--dev-tls', '--upstream', upstream.baseUrl, '--data', join(folder, 'cli-bad')]);
        expect(missing.code).toBe(2);
        expect(missing.err).toMatch(/--upstream needs --upstream-client-id ID and --upstream-key PEM-FILE/);
      });
    });
  });
}
