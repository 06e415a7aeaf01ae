// Documentation the hub sent back, changed afterwards in the EHR (Medplum's engine over HTTPS, SMART
// Backend Services): the EHR's retraction reaches the hub's FHIR API and the ward's workstation after
// the next poll and is never sent back; a ward's correction made meanwhile meets the EHR's change
// (If-Match, 412) and is a conflict IT and the ward see, the EHR's copy untouched until a user decides;
// a correction with no change at the EHR goes with If-Match on the EHR's version, once.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Encounter, Observation, Provenance } from '@medplum/fhirtypes';
import { CLIENT_ID_SYSTEM, UPSTREAM_CONFLICT_TAG_SYSTEM, withoutUpstreamMarks } from '../../shared/fhir/index.js';
import { openDocumentation, withdrawnRecordsOf } from '../../electron/documentation/index.js';
import { isSyncError } from '../../electron/sync/index.js';
import { addUser } from '../../server/identity/index.js';
import { putResources } from '../../server/fhir/index.js';
import { hubErrorCode } from '../../shared/auth/index.js';
import { formatUpstreamStatus, readUpstreamStatus, type UpstreamMirror } from '../../server/integration/index.js';
import { startHub, type HubEngine, type TestDevice, type TestHub } from '../support/hub-harness.js';
import { seedWard } from '../support/hub-fixtures.js';
import { enrollTestWorkstation } from '../sync/sync-test-kit.js';
import { startUpstreamFhirServer, type UpstreamFhirServer } from '../support/upstream-fhir-server.js';
import { createTestEhrMirror } from '../support/test-ehr-mirror.js';

const WARD = '4north';
const CLIENT_ID = 'wardline-hub-test';
const NURSE = 'nurse.4n';
const PASSWORD = 'correct horse battery staple 4N';
const DAY_MS = 24 * 60 * 60_000;

for (const engine of ['sqlite', 'postgres'] as const satisfies readonly HubEngine[]) {
  describe(`documentation the EHR changed after the hub sent it, on ${engine}`, () => {
    let upstream: UpstreamFhirServer;
    let hub: TestHub;
    let device: TestDevice;
    let mirror: UpstreamMirror;
    let folder: string;
    let patientId = '';
    let encounterId = '';
    let nurseId = '';

    beforeAll(async () => {
      upstream = await startUpstreamFhirServer();
      const keys = await generateKeyPair('ES384', { extractable: true });
      upstream.registerClient(CLIENT_ID, { ...(await exportJWK(keys.publicKey)), alg: 'ES384' });
      const bundle = JSON.parse(
        await readFile(join(import.meta.dirname, '../support/fixtures/synthea/clemente-kreiger.json'), 'utf8'),
      ) as Bundle;
      patientId = (await upstream.loadTransaction(bundle)).find((l) => l.startsWith('Patient/'))!.split('/')[1]!;
      const ward = await upstream.repo.createResource({ resourceType: 'Location', name: '4 North', mode: 'instance' });
      const admission = await upstream.repo.createResource<Encounter>({
        resourceType: 'Encounter',
        status: 'in-progress',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
        subject: { reference: `Patient/${patientId}` },
        period: { start: new Date(Date.now() - 2 * DAY_MS).toISOString() },
        location: [{ location: { reference: `Location/${ward.id}` }, status: 'active' }],
      });
      encounterId = admission.id!;
      folder = await mkdtemp(join(tmpdir(), 'wardline-ehr-changes-'));
      hub = await startHub({ engine, sqlitePath: join(folder, 'hub.sqlite') });
      // The ward as IT set it up at the hub.
      await seedWard(hub.db, WARD);
      device = await hub.enrollDevice(WARD);
      nurseId = (
        await addUser(
          hub.db,
          { username: NURSE, password: PASSWORD, role: 'nurse', wards: [WARD], mfa: false },
          new Date(Date.now() - 2 * DAY_MS),
        )
      ).userId;
      mirror = await createTestEhrMirror(hub.db, upstream, {
        clientId: CLIENT_ID,
        privateKeyPem: await exportPKCS8(keys.privateKey),
        ward: WARD,
        location: `Location/${ward.id}`,
      });
      expect((await mirror.runCycle()).ok).toBe(true);
    }, 120_000);

    afterAll(async () => {
      await mirror?.stop();
      await hub?.stop();
      await upstream?.stop();
      if (folder) await rm(folder, { recursive: true, force: true });
    });

    /** A heart rate a workstation uploads (the outbox's transaction, with its Provenance); returns its client id. */
    async function documented(value: number): Promise<string> {
      const clientId = randomUUID();
      const provenanceId = randomUUID();
      const observation: Observation = {
        resourceType: 'Observation',
        status: 'final',
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
        code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
        subject: { reference: `Patient/${patientId}` },
        encounter: { reference: `Encounter/${encounterId}` },
        effectiveDateTime: new Date(Date.now() - 10 * 60_000).toISOString(),
        valueQuantity: { value, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
        identifier: [{ system: CLIENT_ID_SYSTEM, value: clientId }],
      };
      const res = await device.fetch('/fhir', {
        method: 'POST',
        body: {
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [
            {
              fullUrl: `urn:uuid:${clientId}`,
              resource: observation,
              request: { method: 'POST', url: 'Observation', ifNoneExist: `identifier=${CLIENT_ID_SYSTEM}|${clientId}` },
            },
            {
              fullUrl: `Provenance/${provenanceId}`,
              resource: {
                resourceType: 'Provenance',
                id: provenanceId,
                target: [{ reference: `urn:uuid:${clientId}` }],
                recorded: new Date().toISOString(),
                agent: [{ who: { reference: `Practitioner/${nurseId}` } }],
              } as Provenance,
              request: { method: 'PUT', url: `Provenance/${provenanceId}` },
            },
          ],
        },
      });
      expect(res.status, await res.clone().text()).toBe(200);
      return clientId;
    }

    /** The hub's copy, read at its FHIR API. */
    async function atHub(clientId: string): Promise<Observation> {
      const res = await device.fetch(`/fhir/Observation?identifier=${encodeURIComponent(`${CLIENT_ID_SYSTEM}|${clientId}`)}`);
      expect(res.status).toBe(200);
      const entries = ((await res.json()) as Bundle<Observation>).entry ?? [];
      expect(entries).toHaveLength(1);
      return entries[0]!.resource!;
    }

    /** The EHR's copies (there must be exactly one). */
    async function atEhr(clientId: string): Promise<Observation> {
      const bundle = await upstream.repo.search<Observation>({ resourceType: 'Observation', count: 10_000 });
      const copies = (bundle.entry ?? [])
        .map((entry) => entry.resource as Observation)
        .filter((o) => o.identifier?.some((i) => i.system === CLIENT_ID_SYSTEM && i.value === clientId));
      expect(copies).toHaveLength(1);
      return copies[0]!;
    }

    async function ehrVersions(id: string): Promise<number> {
      return ((await upstream.repo.readHistory('Observation', id)).entry ?? []).length;
    }

    /** A nurse signed in at the ward corrects the hub's copy (If-Match on the version she saw). */
    async function correctedAtWard(hubCopy: Observation, value: number): Promise<void> {
      const nurse = await device.signedIn(NURSE, PASSWORD);
      const res = await nurse.fetch(`/fhir/Observation/${hubCopy.id}`, {
        method: 'PUT',
        body: { ...withoutUpstreamMarks(hubCopy), status: 'corrected', valueQuantity: { ...hubCopy.valueQuantity!, value } },
        headers: { 'if-match': `W/"${hubCopy.meta!.versionId}"` },
      });
      expect(res.status, await res.clone().text()).toBe(200);
    }

    /** The Provenances at the hub's FHIR API of the EHR's changes to this documentation. */
    async function ehrChangeProvenances(hubId: string): Promise<Provenance[]> {
      const res = await device.fetch(`/fhir/Provenance?patient=${patientId}&_count=200`);
      expect(res.status).toBe(200);
      return (((await res.json()) as Bundle<Provenance>).entry ?? [])
        .map((entry) => entry.resource!)
        .filter((p) => p.activity?.text === 'Changed in the EHR' && p.target.some((t) => t.reference?.startsWith(`Observation/${hubId}/`)));
    }

    async function status(): Promise<string> {
      return formatUpstreamStatus(await readUpstreamStatus(hub.db, new Date())).join('\n');
    }

    it("takes in the EHR's retraction after the next poll, shows it at the hub and on the ward's workstation, and never sends it back", async () => {
      const station = await enrollTestWorkstation(hub, WARD);
      const vault = await station.openVault();
      const sync = station.engine(vault, { pageSize: 100 });
      try {
        const clientId = await documented(88);
        expect((await mirror.runCycle()).ok).toBe(true);
        const sent = await atEhr(clientId);
        expect(sent.status).toBe('final');
        const hubId = (await atHub(clientId)).id!;
        await sync.syncOnce();
        expect((vault.resources.read('Observation', hubId) as Observation | null)?.status).toBe('final');

        // A reviewer marks the EHR's copy entered in error, at the EHR (which records who did, in meta.author).
        const reviewer = { reference: 'Practitioner/ehr-reviewer-7', display: 'R. Reviewer' };
        const retracted = await upstream.repo.updateResource<Observation>({
          ...sent,
          status: 'entered-in-error',
          meta: { ...sent.meta, author: reviewer },
        });
        const requestsBefore = upstream.requests.length;
        expect((await mirror.runCycle()).ok).toBe(true);

        const atHubNow = await atHub(clientId);
        expect(atHubNow.id).toBe(hubId);
        expect(atHubNow.status).toBe('entered-in-error');
        expect(atHubNow.meta?.versionId).toBe('2');
        expect(atHubNow.valueQuantity?.value).toBe(88);
        // Who changed it, at the hub: the EHR's reviewer, through the EHR.
        const provenances = await ehrChangeProvenances(hubId);
        expect(provenances).toHaveLength(1);
        expect(provenances[0]).toMatchObject({
          target: [{ reference: `Observation/${hubId}/_history/2` }, { reference: `Patient/${patientId}` }],
          occurredDateTime: retracted.meta?.lastUpdated,
          activity: { coding: [expect.objectContaining({ code: 'UPDATE' })], text: 'Changed in the EHR' },
          agent: [
            expect.objectContaining({ who: { reference: `${upstream.baseUrl}/Practitioner/ehr-reviewer-7`, display: 'R. Reviewer' } }),
            expect.objectContaining({
              who: expect.objectContaining({ identifier: { system: 'urn:ietf:rfc:3986', value: upstream.baseUrl } }),
            }),
          ],
          entity: [
            { role: 'source', what: { reference: `${upstream.baseUrl}/Observation/${sent.id}/_history/${retracted.meta?.versionId}` } },
          ],
        });
        await sync.syncOnce();
        expect((vault.resources.read('Observation', hubId) as Observation | null)?.status).toBe('entered-in-error');

        // Not sent back, and re-reading it writes nothing more, cycle after cycle.
        expect((await mirror.runCycle()).ok).toBe(true);
        expect((await mirror.runCycle()).ok).toBe(true);
        expect((await atHub(clientId)).meta?.versionId).toBe('2');
        expect(upstream.requests.slice(requestsBefore).filter((r) => r.method !== 'GET')).toEqual([]);
        expect((await atEhr(clientId)).meta?.versionId).toBe(retracted.meta?.versionId);
        expect(await ehrVersions(sent.id!)).toBe(2);
        expect(await status()).toMatch(/0 waiting, 0 refused/);
        // Its Provenance stays at the hub: one, never sent to the EHR (which holds only the ward's).
        expect(await ehrChangeProvenances(hubId)).toHaveLength(1);
        const ehrProvenances = await upstream.repo.search<Provenance>({ resourceType: 'Provenance', count: 10_000 });
        expect((ehrProvenances.entry ?? []).filter((e) => JSON.stringify(e.resource).includes('Changed in the EHR'))).toEqual([]);
      } finally {
        await sync.close();
        vault.close();
        await station.remove();
      }
    });

    it("holds a ward's correction made after the EHR withdrew its copy as a conflict IT and the ward see; the withdrawal stands, and the value is recorded again as a new entry", async () => {
      const station = await enrollTestWorkstation(hub, WARD);
      const vault = await station.openVault();
      const sync = station.engine(vault, { pageSize: 100 });
      try {
        const clientId = await documented(79);
        expect((await mirror.runCycle()).ok).toBe(true);
        const sent = await atEhr(clientId);
        const before = await atHub(clientId);

        // The EHR's copy is marked entered in error there; before the mirror's next poll, a nurse corrects the hub's.
        const retracted = await upstream.repo.updateResource<Observation>({ ...sent, status: 'entered-in-error' });
        await correctedAtWard(before, 72);
        expect((await mirror.runCycle()).ok).toBe(true);
        expect((await mirror.runCycle()).ok).toBe(true);

        // The EHR's retraction stands.
        const ehrNow = await atEhr(clientId);
        expect(ehrNow.status).toBe('entered-in-error');
        expect(ehrNow.meta?.versionId).toBe(retracted.meta?.versionId);
        expect(ehrNow.valueQuantity?.value).toBe(79);
        const update = upstream.requests.find((r) => r.method === 'PUT' && r.url.startsWith(`Observation/${sent.id}`));
        expect(update).toMatchObject({ status: 412, ifMatch: `W/"${sent.meta?.versionId}"` });

        // IT sees it in `upstream status`.
        const lines = await status();
        expect(lines).toMatch(
          new RegExp(`CONFLICT Observation/${before.id} \\(version 2, 1 attempt\\(s\\)\\): UPSTREAM_DOCUMENTATION_CHANGED`),
        );
        expect(lines).toContain('1 held as conflicts with the EHR');

        // At the hub: the correction tagged with the conflict, the EHR's copy beside it.
        const held = await atHub(clientId);
        expect(held.meta?.tag).toContainEqual(
          expect.objectContaining({ system: UPSTREAM_CONFLICT_TAG_SYSTEM, code: 'UPSTREAM_DOCUMENTATION_CHANGED' }),
        );
        expect(held.valueQuantity?.value).toBe(72);
        expect(held.contained).toContainEqual(expect.objectContaining({ resourceType: 'Observation', status: 'entered-in-error' }));

        // On the ward's workstation, after its sync: a conflict with the EHR's copy.
        await sync.syncOnce();
        const listed = vault.conflicts.list().filter((c) => c.reason === 'upstream-conflict');
        expect(listed).toHaveLength(1);
        expect(listed[0]).toMatchObject({ errorCode: 'UPSTREAM_DOCUMENTATION_CHANGED', patientId });
        expect(listed[0]!.hub).toEqual([expect.objectContaining({ resourceType: 'Observation', status: 'entered-in-error' })]);

        // Entered in error is final, in the EHR too (session 14: "Send to the EHR anyway" put the ward's
        // correction over the EHR's withdrawal). The workstation does not send it: it says so, nothing queued.
        const documentation = openDocumentation({ vault, sync, logger: station.logger });
        const author = { reference: `Practitioner/${nurseId}`, display: NURSE };
        expect(withdrawnRecordsOf(listed[0]!)).toEqual([
          expect.objectContaining({ withdrawn: expect.objectContaining({ status: 'entered-in-error' }) }),
        ]);
        let refused: unknown;
        try {
          documentation.resolveConflict(listed[0]!.conflictId, 'resend-local', undefined, author);
        } catch (error) {
          refused = error;
        }
        expect(isSyncError(refused, 'RETRACTED_RECORD')).toBe(true);
        expect(vault.outbox.count()).toBe(0);
        // Nor does the hub take that decision from a signed-in user over HTTPS: 422, nothing stored.
        const nurse = await device.signedIn(NURSE, PASSWORD);
        const resent = await nurse.fetch(`/fhir/Observation/${held.id}`, {
          method: 'PUT',
          body: withoutUpstreamMarks(held),
          headers: { 'if-match': `W/"${held.meta!.versionId}"` },
        });
        expect(resent.status).toBe(422);
        expect(hubErrorCode(await resent.json())).toBe('RETRACTED_RECORD');
        expect((await atHub(clientId)).meta?.versionId).toBe(held.meta?.versionId);

        // The nurse records her value again as a new entry: the withdrawal is accepted (kept from the
        // EHR, so the hub takes the EHR's withdrawal in), and the value reaches the EHR as a new reading.
        const entryId = documentation.recordAgain(listed[0]!.conflictId, author);
        const againId = vault.outbox.get(entryId)!.items[0]!.resource.id!;
        await sync.syncOnce();
        expect((await mirror.runCycle()).ok).toBe(true);
        expect((await mirror.runCycle()).ok).toBe(true);
        const ehrAfter = await atEhr(clientId);
        expect(ehrAfter).toMatchObject({ status: 'entered-in-error', valueQuantity: { value: 79 } });
        expect(ehrAfter.meta?.versionId).toBe(retracted.meta?.versionId);
        expect(await ehrVersions(sent.id!)).toBe(2);
        expect(await atHub(clientId)).toMatchObject({ status: 'entered-in-error', valueQuantity: { value: 79 } });
        expect(await atEhr(againId)).toMatchObject({ status: 'final', valueQuantity: { value: 72 } });
        expect(await readUpstreamStatus(hub.db, new Date())).toMatchObject({
          outbox: expect.objectContaining({ conflict: 0, refused: 0 }),
        });
        await sync.syncOnce();
        expect(vault.conflicts.list().filter((c) => c.reason === 'upstream-conflict')).toEqual([]);
      } finally {
        await sync.close();
        vault.close();
        await station.remove();
      }
    });

    it('records a value again once, however many workstations of the ward record it again and whoever settled first', async () => {
      // Review 14b #1: the settlement and the new reading were two outbox entries; when a colleague had
      // settled first, the settlement met 412 but the reading went anyway, and the new conflict offered
      // "Record again" again: the value stood twice at the hub, in NEWS2 and in the EHR.
      const stations = [await enrollTestWorkstation(hub, WARD), await enrollTestWorkstation(hub, WARD)];
      const vaults = [await stations[0]!.openVault(), await stations[1]!.openVault()];
      const syncs = vaults.map((vault, index) => stations[index]!.engine(vault, { pageSize: 100 }));
      const docs = vaults.map((vault, index) => openDocumentation({ vault, sync: syncs[index]!, logger: stations[index]!.logger }));
      const author = { reference: `Practitioner/${nurseId}`, display: NURSE };
      /** Final readings of the patient at the hub holding `value` (the corrected record stays withdrawn). */
      const finalAtHub = async (value: number): Promise<Observation[]> => {
        const res = await device.fetch(`/fhir/Observation?patient=${patientId}&_count=1000`);
        expect(res.status).toBe(200);
        return (((await res.json()) as Bundle<Observation>).entry ?? [])
          .map((entry) => entry.resource!)
          .filter((o) => o.status === 'final' && o.valueQuantity?.value === value);
      };
      /** A ward's correction to `value` after the EHR withdrew its copy: a conflict with the EHR on both workstations. */
      const conflictOnBoth = async (documentedValue: number, value: number): Promise<string[]> => {
        const clientId = await documented(documentedValue);
        expect((await mirror.runCycle()).ok).toBe(true);
        await upstream.repo.updateResource<Observation>({ ...(await atEhr(clientId)), status: 'entered-in-error' });
        await correctedAtWard(await atHub(clientId), value);
        expect((await mirror.runCycle()).ok).toBe(true);
        expect((await mirror.runCycle()).ok).toBe(true);
        const ids: string[] = [];
        for (const [index, sync] of syncs.entries()) {
          await sync.syncOnce();
          const listed = vaults[index]!.conflicts.list().filter((c) => c.reason === 'upstream-conflict');
          expect(listed).toHaveLength(1);
          ids.push(listed[0]!.conflictId);
        }
        return ids;
      };
      try {
        // Both nurses record it again; the second workstation has not synced since the first did.
        const [first, second] = await conflictOnBoth(86, 63);
        docs[0]!.recordAgain(first!, author);
        await syncs[0]!.syncOnce();
        docs[1]!.recordAgain(second!, author);
        await syncs[1]!.syncOnce();
        expect(vaults[1]!.outbox.count()).toBe(0);
        expect(vaults[1]!.conflicts.count()).toBe(0);
        expect(await finalAtHub(63)).toHaveLength(1);

        // One keeps it from the EHR (the hub takes the withdrawal in); the other, not synced since,
        // records it again: its settlement meets 412 (nothing of the entry applied), and the reading
        // goes alone, the withdrawal being accepted already; no conflict is left, the value stands once.
        const [kept, recorded] = await conflictOnBoth(87, 64);
        docs[0]!.resolveConflict(kept!, 'keep-hub', undefined, author);
        await syncs[0]!.syncOnce();
        expect((await mirror.runCycle()).ok).toBe(true);
        expect((await mirror.runCycle()).ok).toBe(true);
        docs[1]!.recordAgain(recorded!, author);
        await syncs[1]!.syncOnce();
        expect(vaults[1]!.outbox.count()).toBe(0);
        expect(vaults[1]!.conflicts.count()).toBe(0);
        expect(await finalAtHub(64)).toHaveLength(1);
        for (const sync of syncs) await sync.syncOnce();
        expect((await mirror.runCycle()).ok).toBe(true);
        const ehr = await upstream.repo.search<Observation>({ resourceType: 'Observation', count: 10_000 });
        for (const value of [63, 64])
          expect(
            (ehr.entry ?? []).filter((e) => (e.resource as Observation).valueQuantity?.value === value && e.resource?.status === 'final'),
          ).toHaveLength(1);
      } finally {
        for (const sync of syncs) await sync.close();
        for (const vault of vaults) vault.close();
        for (const station of stations) await station.remove();
      }
    });

    it("takes the EHR's copy in at once when a user keeps a ward's correction out of the EHR (the EHR is right), and never sends it back", async () => {
      const station = await enrollTestWorkstation(hub, WARD);
      const vault = await station.openVault();
      const sync = station.engine(vault, { pageSize: 100 });
      try {
        const clientId = await documented(81);
        expect((await mirror.runCycle()).ok).toBe(true);
        const sent = await atEhr(clientId);
        const before = await atHub(clientId);

        // The EHR retracts its copy; before the next poll a nurse corrects the hub's: a conflict.
        const retracted = await upstream.repo.updateResource<Observation>({ ...sent, status: 'entered-in-error' });
        const requestsAtCorrection = upstream.requests.length;
        await correctedAtWard(before, 75);
        expect((await mirror.runCycle()).ok).toBe(true);
        await sync.syncOnce();
        const conflict = vault.conflicts.list().find((c) => c.reason === 'upstream-conflict' && c.patientId === patientId);
        expect(conflict).toMatchObject({ errorCode: 'UPSTREAM_DOCUMENTATION_CHANGED' });

        // A nurse decides the EHR is right: "Keep out of the EHR".
        const documentation = openDocumentation({ vault, sync, logger: station.logger });
        const author = { reference: `Practitioner/${nurseId}`, display: NURSE };
        expect(documentation.resolveConflict(conflict!.conflictId, 'keep-hub', undefined, author)).not.toBeNull();
        await sync.syncOnce();
        expect(vault.outbox.pendingResourceKeys().size).toBe(0);
        const requestsBefore = upstream.requests.length;
        expect((await mirror.runCycle()).ok).toBe(true);

        // At the next cycle, with no change at the EHR: the hub holds the EHR's copy, as the EHR holds it.
        const atHubNow = await atHub(clientId);
        expect(atHubNow.status).toBe('entered-in-error');
        expect(atHubNow.valueQuantity?.value).toBe(81);
        expect(atHubNow.meta?.tag ?? []).toEqual([]);
        expect(await ehrChangeProvenances(atHubNow.id!)).toHaveLength(1);
        await sync.syncOnce();
        expect((vault.resources.read('Observation', atHubNow.id!) as Observation | null)?.status).toBe('entered-in-error');

        // Nothing goes to the EHR, then or later, and later polls write nothing more.
        const versions = atHubNow.meta?.versionId;
        expect((await mirror.runCycle()).ok).toBe(true);
        expect((await atHub(clientId)).meta?.versionId).toBe(versions);
        expect(upstream.requests.slice(requestsBefore).filter((r) => r.method !== 'GET')).toEqual([]);
        expect((await atEhr(clientId)).meta?.versionId).toBe(retracted.meta?.versionId);
        expect(await status()).toMatch(/0 waiting, 0 refused/);
        // Nor did the record of the correction it never got (the hub's Provenance of the nurse's write).
        expect(upstream.requests.slice(requestsAtCorrection).filter((r) => r.url.startsWith('Provenance'))).toEqual([]);
      } finally {
        await sync.close();
        vault.close();
        await station.remove();
      }
    });

    it("sends a ward's correction with no change at the EHR with If-Match on the EHR's version, once; its echo writes nothing", async () => {
      const clientId = await documented(90);
      expect((await mirror.runCycle()).ok).toBe(true);
      const sent = await atEhr(clientId);
      await correctedAtWard(await atHub(clientId), 94);
      expect((await mirror.runCycle()).ok).toBe(true);

      const ehrNow = await atEhr(clientId);
      expect(ehrNow.status).toBe('corrected');
      expect(ehrNow.valueQuantity?.value).toBe(94);
      expect(await ehrVersions(sent.id!)).toBe(2);
      const updates = upstream.requests.filter((r) => r.method === 'PUT' && r.url.startsWith(`Observation/${sent.id}`));
      expect(updates).toEqual([expect.objectContaining({ status: 200, ifMatch: `W/"${sent.meta?.versionId}"` })]);

      // The EHR's copy comes back in the next polls as the echo of the hub's own write: nothing written.
      expect((await mirror.runCycle()).ok).toBe(true);
      expect((await mirror.runCycle()).ok).toBe(true);
      const atHubNow = await atHub(clientId);
      expect(atHubNow.meta?.versionId).toBe('2');
      expect(atHubNow.valueQuantity?.value).toBe(94);
      expect(await ehrVersions(sent.id!)).toBe(2);

      // The hub stopped after the EHR took the update but before it recorded the answer: sent again, its
      // If-Match meets the hub's own update (412), which holds just what is sent: acknowledged, no conflict.
      await hub.db.execute(
        `UPDATE upstream_outbox SET state = 'pending', upstream_version = NULL, upstream_updated = NULL, next_attempt_ms = 0
         WHERE res_type = 'Observation' AND res_id = $1 AND version = 2`,
        [atHubNow.id],
      );
      expect((await mirror.runCycle()).ok).toBe(true);
      expect((await mirror.runCycle()).ok).toBe(true);
      expect(
        upstream.requests.filter((r) => r.method === 'PUT' && r.url.startsWith(`Observation/${sent.id}`)).map((r) => r.status),
      ).toEqual([200, 412]);
      expect(await ehrVersions(sent.id!)).toBe(2);
      expect((await atHub(clientId)).meta?.versionId).toBe('2');
      expect((await readUpstreamStatus(hub.db, new Date())).outbox).toMatchObject({ pending: 0, conflict: 0, refused: 0 });
    });

    it("never sends a version over the EHR's copy withdrawn as entered in error, even one stored outside the hub's write rules: refused for IT, the EHR's copy untouched", async () => {
      const clientId = await documented(77);
      expect((await mirror.runCycle()).ok).toBe(true);
      const sent = await atEhr(clientId);
      const retracted = await upstream.repo.updateResource<Observation>({ ...sent, status: 'entered-in-error' });
      await correctedAtWard(await atHub(clientId), 70);
      expect((await mirror.runCycle()).ok).toBe(true);
      const held = await atHub(clientId);
      expect(held.meta?.tag).toContainEqual(expect.objectContaining({ system: UPSTREAM_CONFLICT_TAG_SYSTEM }));

      // A decision to send it anyway, written by the hub's own tools (no write policy).
      await putResources(hub.db, [withoutUpstreamMarks(held) as never], new Date());
      const requestsBefore = upstream.requests.length;
      expect((await mirror.runCycle()).ok).toBe(true);
      expect((await mirror.runCycle()).ok).toBe(true);
      expect(upstream.requests.slice(requestsBefore).filter((r) => r.method === 'PUT')).toEqual([]);
      const ehrNow = await atEhr(clientId);
      expect(ehrNow).toMatchObject({ status: 'entered-in-error', valueQuantity: { value: 77 } });
      expect(ehrNow.meta?.versionId).toBe(retracted.meta?.versionId);
      expect(await status()).toMatch(
        new RegExp(`REFUSED Observation/${held.id} \\(version \\d+, \\d+ attempt\\(s\\)\\): RETRACTED_RECORD`),
      );
    });
  });
}
