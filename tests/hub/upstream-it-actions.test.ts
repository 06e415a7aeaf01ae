// Issue 17: "A refusal is shown to IT, with the reason, and never dropped." IT acts on it from the
// hub's command line while the hub serves: `wardline-hub upstream retry N` sends a refused entry (and
// the Provenance refused through it) again once IT fixed the cause at the EHR; `upstream close N
// --reason …` settles one for good without sending (recorded in the EHR by hand), listed by `upstream
// status --closed` with who, when and why; each action is in the hub's trail. The EHR is a
// third-party FHIR server (Medplum's engine over HTTPS, SMART Backend Services); the hub runs over
// HTTPS on SQLite and on PostgreSQL; documentation reaches it from an enrolled workstation.
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, Bundle, Encounter, Observation, Patient, Provenance, Resource } from '@medplum/fhirtypes';
import { CLIENT_ID_SYSTEM, WARDLINE_USER_SYSTEM, validateResource } from '../../shared/fhir/index.js';
import { addUser } from '../../server/identity/index.js';
import { readUpstreamStatus, type UpstreamMirror } from '../../server/integration/index.js';
import { putResources } from '../../server/fhir/index.js';
import { startHub, type HubEngine, type TestDevice, type TestHub } from '../support/hub-harness.js';
import { seedWard } from '../support/hub-fixtures.js';
import { hubCli } from '../support/hub-cli.js';
import { startUpstreamFhirServer, type UpstreamFhirServer } from '../support/upstream-fhir-server.js';
import { createTestEhrMirror } from '../support/test-ehr-mirror.js';

const WARD = '4north';
const CLIENT_ID = 'wardline-hub-it-test';
const DAY_MS = 86_400_000;

for (const engine of ['sqlite', 'postgres'] as const satisfies readonly HubEngine[]) {
  describe(`IT acts on documentation sent back, on ${engine}`, () => {
    let upstream: UpstreamFhirServer;
    let hub: TestHub;
    let device: TestDevice;
    let mirror: UpstreamMirror;
    let folder: string;
    let store: string[];
    let patientId = '';
    let encounterId = '';
    let nurseId = '';

    beforeAll(async () => {
      upstream = await startUpstreamFhirServer();
      const keys = await generateKeyPair('ES384', { extractable: true });
      upstream.registerClient(CLIENT_ID, { ...(await exportJWK(keys.publicKey)), alg: 'ES384' });
      const ward = await upstream.repo.createResource({ resourceType: 'Location', name: '4 North', mode: 'instance' });
      const patient = await upstream.repo.createResource<Patient>({
        resourceType: 'Patient',
        name: [{ family: 'Itcase', given: ['Robin'] }],
        birthDate: '1951-02-03',
      });
      patientId = patient.id!;
      const stay = await upstream.repo.createResource<Encounter>({
        resourceType: 'Encounter',
        status: 'in-progress',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
        subject: { reference: `Patient/${patientId}` },
        period: { start: new Date(Date.now() - DAY_MS).toISOString() },
        location: [{ location: { reference: `Location/${ward.id}` }, status: 'active' }],
      });
      encounterId = stay.id!;
      folder = await mkdtemp(join(tmpdir(), 'wardline-upstream-it-'));
      await mkdir(join(folder, 'data'));
      hub = await startHub({ engine, sqlitePath: join(folder, 'data', 'hub.sqlite') });
      await seedWard(hub.db, WARD);
      device = await hub.enrollDevice(WARD);
      const keyFile = join(folder, 'hub.key');
      await writeFile(keyFile, `${hub.hubKey.toString('base64')}\n`);
      await chmod(keyFile, 0o600);
      store = [...(hub.postgresUrl ? ['--postgres', hub.postgresUrl] : ['--data', join(folder, 'data')]), '--key-file', keyFile];
      nurseId = (
        await addUser(
          hub.db,
          { username: 'it-case-nurse', password: 'correct horse battery staple 4N', role: 'nurse', wards: [WARD], mfa: false },
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

    /** Vital signs as a workstation uploads them: the Observation (client id) and its Provenance, by the nurse. */
    function upload(clientId: string, value: number): Bundle {
      const provenanceId = randomUUID();
      return {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: `urn:uuid:${clientId}`,
            resource: {
              resourceType: 'Observation',
              status: 'final',
              identifier: [{ system: CLIENT_ID_SYSTEM, value: clientId }],
              category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
              code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
              subject: { reference: `Patient/${patientId}` },
              encounter: { reference: `Encounter/${encounterId}` },
              effectiveDateTime: new Date().toISOString(),
              performer: [{ reference: `Practitioner/${nurseId}`, display: 'it-case-nurse' }],
              valueQuantity: { value, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
            } as Observation,
            request: { method: 'POST', url: 'Observation', ifNoneExist: `identifier=${CLIENT_ID_SYSTEM}|${clientId}` },
          },
          {
            fullUrl: `Provenance/${provenanceId}`,
            resource: {
              resourceType: 'Provenance',
              id: provenanceId,
              target: [{ reference: `urn:uuid:${clientId}` }],
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

    /** Two records at the EHR already claim this client id: its conditional create is refused (412). */
    async function claimedTwiceAtEhr(clientId: string): Promise<string[]> {
      const ids: string[] = [];
      for (const value of [50, 51]) {
        const made = await upstream.repo.createResource<Observation>({
          resourceType: 'Observation',
          status: 'final',
          identifier: [{ system: CLIENT_ID_SYSTEM, value: clientId }],
          code: { text: 'duplicate' },
          subject: { reference: `Patient/${patientId}` },
          valueQuantity: { value },
        });
        ids.push(made.id!);
      }
      return ids;
    }

    async function ehrCopies<T extends Resource>(type: T['resourceType'], match: (resource: T) => boolean): Promise<T[]> {
      const bundle = await upstream.repo.search<T>({ resourceType: type, count: 10_000 });
      return (bundle.entry ?? []).map((entry) => entry.resource as T).filter(match);
    }

    const withClientId = (clientId: string) => (o: Observation) => o.identifier?.some((i) => i.value === clientId) === true;

    /** The entry numbers `upstream status` shows for a resource, by state word (REFUSED, HELD…). */
    async function entriesShown(): Promise<{ text: string; entries: { seq: string; state: string; ref: string }[] }> {
      const status = await hubCli(['upstream', 'status', ...store]);
      expect(status.code, status.err).toBe(0);
      const entries = [...status.out.matchAll(/entry (\d+): (REFUSED|HELD|CONFLICT|retrying) (\S+) /g)].map((m) => ({
        seq: m[1]!,
        state: m[2]!,
        ref: m[3]!,
      }));
      return { text: status.out, entries };
    }

    async function refusedDocumentation(clientId: string): Promise<{ observation: string; provenance: string; observationId: string }> {
      await claimedTwiceAtEhr(clientId);
      const res = await device.fetch('/fhir', { method: 'POST', body: upload(clientId, 72) });
      expect(res.status, await res.clone().text()).toBe(200);
      expect((await mirror.runCycle()).ok).toBe(true);
      const [observation] = (await hub.db.query<{ res_id: string }>(
        `SELECT res_id FROM fhir_tokens WHERE res_type = 'Observation' AND param = 'identifier' AND system = $1 AND value = $2`,
        [CLIENT_ID_SYSTEM, clientId],
      ))!;
      const { entries } = await entriesShown();
      const refusedObservation = entries.find((e) => e.state === 'REFUSED' && e.ref === `Observation/${observation!.res_id}`);
      expect(refusedObservation).toBeDefined();
      const refusedProvenance = entries.find(
        (e) => e.state === 'REFUSED' && e.ref.startsWith('Provenance/') && Number(e.seq) > Number(refusedObservation!.seq),
      );
      expect(refusedProvenance).toBeDefined();
      return { observation: refusedObservation!.seq, provenance: refusedProvenance!.seq, observationId: observation!.res_id };
    }

    it('sends a refused entry, and the Provenance refused through it, again at the next cycle once IT fixed the cause at the EHR', async () => {
      const clientId = randomUUID();
      const refused = await refusedDocumentation(clientId);
      // Refused is kept: more cycles send nothing.
      expect((await mirror.runCycle()).ok).toBe(true);
      expect(await ehrCopies<Observation>('Observation', withClientId(clientId))).toHaveLength(2);

      // IT removes the two stray records at the EHR, then puts the entry back (the hub is serving meanwhile).
      for (const stray of await ehrCopies<Observation>('Observation', withClientId(clientId))) {
        await upstream.repo.deleteResource('Observation', stray.id!);
      }
      const retried = await hubCli(['upstream', 'retry', refused.observation, ...store]);
      expect(retried.code, retried.err).toBe(0);
      expect(retried.out).toContain(`Entry ${refused.observation} (Observation/${refused.observationId}, version 1) is put back`);
      expect(retried.out).toContain('with 1 entry refused through it');
      expect((await mirror.runCycle()).ok).toBe(true);

      const copies = await ehrCopies<Observation>('Observation', withClientId(clientId));
      expect(copies).toHaveLength(1);
      // The hub's user, as a logical reference the EHR can accept: never Practitioner/{hub id}.
      expect(copies[0]!.performer).toEqual([
        { type: 'Practitioner', identifier: { system: WARDLINE_USER_SYSTEM, value: nurseId }, display: 'it-case-nurse' },
      ]);
      const provenances = await ehrCopies<Provenance>('Provenance', (p) =>
        p.target.some((t) => t.reference === `Observation/${copies[0]!.id}`),
      );
      expect(provenances).toHaveLength(1);
      expect(provenances[0]!.agent[0]!.who).toEqual({
        type: 'Practitioner',
        identifier: { system: WARDLINE_USER_SYSTEM, value: nurseId },
        display: 'it-case-nurse',
      });
      expect(JSON.stringify(provenances[0])).not.toContain(`Practitioner/${nurseId}`);
      const { entries } = await entriesShown();
      expect(entries.map((e) => e.seq)).not.toContain(refused.observation);
      expect(entries.map((e) => e.seq)).not.toContain(refused.provenance);

      // Delivered: neither retried nor closed again; nothing changes.
      for (const args of [
        ['retry', refused.observation],
        ['close', refused.observation, '--reason', 'recorded by hand'],
      ]) {
        const again = await hubCli(['upstream', ...args, ...store]);
        expect(again.code).toBe(1);
        expect(again.err).toMatch(
          new RegExp(`^wardline-hub: Entry ${refused.observation} was delivered: the EHR acknowledged it as Observation/`),
        );
      }
      expect(await ehrCopies<Observation>('Observation', withClientId(clientId))).toHaveLength(1);
    });

    it('closes a refused entry for good without sending it: listed with who, when and why, never sent, and in the hub trail', async () => {
      const clientId = randomUUID();
      const refused = await refusedDocumentation(clientId);

      const noReason = await hubCli(['upstream', 'close', refused.observation, ...store]);
      expect(noReason.code).toBe(2);
      expect(noReason.err).toContain('upstream close needs --reason TEXT');

      const closed = await hubCli([
        'upstream',
        'close',
        refused.observation,
        '--reason',
        'Recorded in the EHR by hand (ticket 4411)',
        ...store,
      ]);
      expect(closed.code, closed.err).toBe(0);
      expect(closed.out).toContain(
        `Entry ${refused.observation} (Observation/${refused.observationId}, version 1) closed by ${userInfo().username} (with 1 Provenance entry refused through it)`,
      );
      // IT fixes the EHR afterwards: a closed entry is still never sent.
      for (const stray of await ehrCopies<Observation>('Observation', withClientId(clientId))) {
        await upstream.repo.deleteResource('Observation', stray.id!);
      }
      expect((await mirror.runCycle()).ok).toBe(true);
      expect(await ehrCopies<Observation>('Observation', withClientId(clientId))).toEqual([]);

      // Not dropped: counted by `upstream status`, listed by `--closed` with who, when and why.
      const shown = await entriesShown();
      expect(shown.entries.map((e) => e.seq)).not.toContain(refused.observation);
      // The Provenance refused through it is closed with it.
      expect(shown.entries.map((e) => e.seq)).not.toContain(refused.provenance);
      expect(shown.text).toMatch(/, [1-9]\d* closed by IT without sending \(upstream status --closed lists them\)/);
      const list = await hubCli(['upstream', 'status', '--closed', ...store]);
      expect(list.code, list.err).toBe(0);
      expect(list.out).toMatch(
        new RegExp(
          `entry ${refused.observation}: CLOSED Observation/${refused.observationId} \\(version 1\\) by ${userInfo().username} at 20\\S+Z: Recorded in the EHR by hand \\(ticket 4411\\) \\(before: HTTP 412`,
        ),
      );
      const again = await hubCli(['upstream', 'retry', refused.observation, ...store]);
      expect(again.code).toBe(1);
      expect(again.err).toContain(`Entry ${refused.observation} was closed by ${userInfo().username}`);

      // In the hub's trail, with the patient, for the privacy officer.
      const csv = await hubCli(['audit', 'export', '--format', 'csv', ...store]);
      expect(csv.code, csv.err).toBe(0);
      const rows = csv.out.split('\r\n').filter((line) => line.includes(',upstream-close,') || line.includes(',upstream-retry,'));
      const closeRow = rows.find((line) => line.includes(',upstream-close,') && line.includes(`""entry"":${refused.observation},`));
      expect(closeRow).toBeDefined();
      expect(closeRow).toContain(`,hub-action,`);
      expect(closeRow).toContain(`,${patientId},`);
      expect(closeRow).toContain(`Observation/${refused.observationId}/_history/1`);
      expect(closeRow).toContain(userInfo().username);
      expect(rows.some((line) => line.includes(',upstream-retry,'))).toBe(true);
      const ndjson = await hubCli(['audit', 'export', '--format', 'ndjson', '--patient', patientId, ...store]);
      expect(ndjson.code, ndjson.err).toBe(0);
      const events = ndjson.out
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as AuditEvent)
        .filter((event) => event.type?.code === '110110');
      const closeEvent = events.find((event) =>
        event.entity?.some((e) => e.description?.includes(`upstream close entry ${refused.observation}`)),
      );
      expect(closeEvent).toBeDefined();
      expect(() => validateResource(closeEvent), closeEvent!.id).not.toThrow();
      expect(closeEvent!.entity!.map((e) => e.what?.reference)).toEqual([
        `Patient/${patientId}`,
        `Observation/${refused.observationId}/_history/1`,
      ]);
    });

    it('closes documentation held for a patient the EHR never gets: the Provenance waiting on it is closed with it, both listed', async () => {
      // A patient the hub holds but the EHR does not (never on a mirrored ward): documentation about them is held.
      const localPatient = randomUUID();
      const observationId = randomUUID();
      const provenanceId = randomUUID();
      await putResources(
        hub.db,
        [
          { resourceType: 'Patient', id: localPatient, name: [{ family: 'Neverehr', given: ['Kim'] }] } as Patient,
          {
            resourceType: 'Observation',
            id: observationId,
            status: 'final',
            identifier: [{ system: CLIENT_ID_SYSTEM, value: randomUUID() }],
            code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
            subject: { reference: `Patient/${localPatient}` },
            effectiveDateTime: new Date().toISOString(),
            valueQuantity: { value: 80, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
          } as Observation,
          {
            resourceType: 'Provenance',
            id: provenanceId,
            target: [{ reference: `Observation/${observationId}` }],
            recorded: new Date().toISOString(),
            agent: [{ who: { reference: `Practitioner/${nurseId}` } }],
          } as Provenance,
        ],
        new Date(),
      );
      expect((await mirror.runCycle()).ok).toBe(true);
      const held = (await entriesShown()).entries.find((e) => e.ref === `Observation/${observationId}`);
      expect(held?.state).toBe('HELD');

      const closed = await hubCli(['upstream', 'close', held!.seq, '--reason', 'Patient seen in clinic, charted on paper', ...store]);
      expect(closed.code, closed.err).toBe(0);
      expect((await mirror.runCycle()).ok).toBe(true);
      const list = await hubCli(['upstream', 'status', '--closed', ...store]);
      expect(list.out).toContain(`CLOSED Observation/${observationId} (version 1) by ${userInfo().username}`);
      expect(list.out).toMatch(
        new RegExp(
          `CLOSED Provenance/${provenanceId} \\(version 1\\) by the hub at \\S+: closed with its target Observation \\(entry ${held!.seq}\\)`,
        ),
      );
      const status = await readUpstreamStatus(hub.db, new Date());
      expect(status.attention.filter((e) => e.id === observationId || e.id === provenanceId)).toEqual([]);
    });

    it('refuses, changing nothing, an unknown entry number and one that is not a number', async () => {
      const unknown = await hubCli(['upstream', 'retry', '987654321', ...store]);
      expect(unknown.code).toBe(1);
      expect(unknown.err).toBe(
        'wardline-hub: No documentation sent back has entry 987654321; `wardline-hub upstream status` lists the entries (entry N: …).\n',
      );
      const closeUnknown = await hubCli(['upstream', 'close', '987654321', '--reason', 'x', ...store]);
      expect(closeUnknown.code).toBe(1);
      const notNumber = await hubCli(['upstream', 'retry', 'Observation/1', ...store]);
      expect(notNumber.code).toBe(2);
      expect(notNumber.err).toContain('upstream retry needs the entry number');
      const trail = await hubCli(['audit', 'export', '--format', 'csv', ...store]);
      expect(trail.out).not.toContain('987654321');
    });
  });
}
