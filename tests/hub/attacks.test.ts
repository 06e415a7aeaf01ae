// The hub as the trust boundary, attacked over real TLS as a stolen or buggy workstation (or a
// curious user) would, on both storage engines. Each attack is refused with its status and an
// OperationOutcome naming the rule, changes nothing in the store, and leaves an `access-refused`
// line in the hub's log. Beside each attack, the legitimate request it imitates goes through, so
// a refusal is the policy's and not a broken fixture's.
import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  UPSTREAM_CONFLICT_TAG_SYSTEM,
  UPSTREAM_WITHHELD_TAG_SYSTEM,
  type Bundle,
  type MedicationRequest,
  type Observation,
  type Patient,
} from '../../shared/fhir/index.js';
import { CONFIDENTIALITY_SYSTEM } from '../../shared/access/index.js';
import { createClientAssertion, hubErrorCode, tokenRequestBody } from '../../shared/auth/index.js';
import { addUser, disableUser } from '../../server/identity/index.js';
import { startHub, USER_TOKEN_HEADER, type HubEngine, type TestDevice, type TestHub } from '../support/hub-harness.js';
import {
  admitPatient,
  encounter,
  observation,
  outboxUpload,
  patient,
  feedResources,
  seedWard,
  TEST_IDENTIFIER_SYSTEM,
  type AdmittedPatient,
} from '../support/hub-fixtures.js';

const PASSWORD = 'correct horse battery';
const REASON = 'X-Wardline-Btg-Reason';
const DAY = 86_400_000;

interface Outcome {
  resourceType: string;
  issue: { severity: string; code: string; diagnostics: string }[];
}

function medicationRequest(patientId: string): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: { text: 'Morphine 10 mg' },
    subject: { reference: `Patient/${patientId}` },
  };
}

describe.each<HubEngine>(['sqlite', 'postgres'])('attacks on the hub over TLS on %s', (engine) => {
  let hub: TestHub;
  let skewMs = 0;
  let deviceA: TestDevice;
  let deviceB: TestDevice;
  let onA: AdmittedPatient;
  let onB: AdmittedPatient;
  let restricted: AdmittedPatient;
  let nurseA: string;
  let vitalOnA: string;

  /** Rows of every table an attack could change (the resource store, grants and the access log). */
  async function fingerprint(): Promise<string> {
    const rows = await hub.db.query<{ r: number; v: number; t: number; g: number; l: number }>(
      `SELECT (SELECT COUNT(*) FROM fhir_resources) AS r, (SELECT COUNT(*) FROM fhir_versions) AS v,
              (SELECT COUNT(*) FROM fhir_tokens) AS t, (SELECT COUNT(*) FROM hub_btg_grants) AS g,
              (SELECT COUNT(*) FROM hub_access_log) AS l`,
    );
    const row = rows[0]!;
    return [row.r, row.v, row.t, row.g, row.l].map(Number).join('/');
  }

  function refusalsLogged(code: string): number {
    return hub
      .logs()
      .split('\n')
      .filter((line) => line.includes('"event":"access-refused"') && line.includes(`"code":"${code}"`)).length;
  }

  /**
   * Runs the attack; expects the status and the code in an OperationOutcome, the store unchanged,
   * and one more `access-refused` line with that code in the hub's log.
   */
  async function expectRefused(attack: () => Promise<Response>, status: number, code: string): Promise<Outcome> {
    const before = await fingerprint();
    const logged = refusalsLogged(code);
    const response = await attack();
    const outcome = (await response.json()) as Outcome;
    expect(response.status, JSON.stringify(outcome)).toBe(status);
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(hubErrorCode(outcome)).toBe(code);
    expect(outcome.issue[0]!.diagnostics.length).toBeGreaterThan(20);
    expect(await fingerprint()).toBe(before);
    expect(refusalsLogged(code)).toBe(logged + 1);
    return outcome;
  }

  async function staff(username: string, role: 'nurse' | 'physician' | 'clerk', wards: string[]): Promise<string> {
    return (await addUser(hub.db, { username, password: PASSWORD, role, wards, mfa: false }, new Date(Date.now() - 2 * DAY))).userId;
  }

  beforeAll(async () => {
    hub = await startHub({ engine, clock: () => new Date(Date.now() + skewMs), rateLimit: { sustainedPerSecond: 10_000, burst: 10_000 } });
    await seedWard(hub.db, 'a');
    await seedWard(hub.db, 'b');
    vitalOnA = `obs-${randomUUID()}`;
    onA = await admitPatient(hub.db, 'a', { extra: (id) => [observation(id, { id: vitalOnA })] });
    onB = await admitPatient(hub.db, 'b', { extra: (id) => [observation(id, { id: `obs-b-${id.slice(2, 10)}` })] });
    restricted = await admitPatient(hub.db, 'a', { family: 'Hidden' });
    const label: Patient = {
      ...patient(restricted.patientId, 'Hidden'),
      meta: { security: [{ system: CONFIDENTIALITY_SYSTEM, code: 'R' }] },
    };
    await feedResources(hub.db, [label]);
    deviceA = await hub.enrollDevice('a');
    deviceB = await hub.enrollDevice('b');
    nurseA = await staff('nurse.a', 'nurse', ['a']);
    await staff('nurse.b', 'nurse', ['b']);
    await staff('clerk.a', 'clerk', ['a']);
    await staff('doctor.a', 'physician', ['a']);
  });

  afterAll(async () => {
    await hub?.stop();
  });

  describe('a device with no user writing clinical data', () => {
    it('refuses a vital sign posted by the device alone, naming nobody', async () => {
      await expectRefused(() => deviceA.fetch('/fhir/Observation', { body: observation(onA.patientId) }), 403, 'RECORDER_REQUIRED');
      const withoutProvenance = outboxUpload([observation(onA.patientId)], { userId: nurseA, recorded: new Date().toISOString() });
      (withoutProvenance.entry as unknown[]).pop();
      await expectRefused(() => deviceA.fetch('/fhir', { body: withoutProvenance }), 403, 'RECORDER_REQUIRED');
    });

    it('refuses an upload naming a user who does not exist, belongs to another ward, was disabled, or did not exist yet then', async () => {
      const upload = (userId: string, recorded = new Date().toISOString()) =>
        deviceA.fetch('/fhir', { body: outboxUpload([observation(onA.patientId)], { userId, recorded }) });
      await expectRefused(() => upload(randomUUID()), 403, 'RECORDER_NOT_VALID');
      const nurseB = (await hub.db.query<{ user_id: string }>(`SELECT user_id FROM identity_users WHERE username = 'nurse.b'`))[0]!.user_id;
      await expectRefused(() => upload(nurseB), 403, 'RECORDER_NOT_VALID');
      const leaver = await staff('leaver.a', 'nurse', ['a']);
      await disableUser(hub.db, 'leaver.a');
      await expectRefused(() => upload(leaver), 403, 'RECORDER_NOT_VALID');
      await expectRefused(() => upload(nurseA, new Date(Date.now() - 3 * DAY).toISOString()), 403, 'RECORDER_NOT_VALID');
      await expectRefused(() => upload(nurseA, new Date(Date.now() + DAY).toISOString()), 403, 'RECORDER_NOT_VALID');
    });

    it('accepts the downtime documentation of a nurse recorded hours ago, signed out (or disabled) since, and keeps who recorded it', async () => {
      const shift = await staff('night.a', 'nurse', ['a']);
      const recorded = new Date(Date.now() - 6 * 3_600_000).toISOString();
      await disableUser(hub.db, 'night.a');
      const response = await deviceA.fetch('/fhir', {
        body: outboxUpload([observation(onA.patientId, { value: 91 })], { userId: shift, recorded }),
      });
      expect(response.status, await response.clone().text()).toBe(200);
      const result = (await response.json()) as Bundle;
      const provenanceId = /Provenance\/([^/]+)/.exec(result.entry![1]!.response!.location!)![1]!;
      const observationId = /Observation\/([^/]+)/.exec(result.entry![0]!.response!.location!)![1]!;
      const provenance = (await (await deviceA.fetch(`/fhir/Provenance/${provenanceId}`)).json()) as {
        target: { reference: string }[];
        agent: { who: { reference: string } }[];
      };
      expect(provenance.target[0]!.reference).toBe(`Observation/${observationId}`);
      expect(provenance.agent[0]!.who.reference).toBe(`Practitioner/${shift}`);
    });
  });

  describe('a device admitting or moving a patient', () => {
    it("refuses an admission to its own ward of another ward's patient, and the chart stays closed to it", async () => {
      const admission = encounter(`e-${randomUUID()}`, onB.patientId, 'a');
      const { id: _id, ...body } = admission;
      await expectRefused(() => deviceA.fetch('/fhir/Encounter', { body }), 403, 'ADT_SOURCE_ONLY');
      await expectRefused(
        () => deviceA.fetch(`/fhir/Encounter/${admission.id}`, { method: 'PUT', body: admission }),
        403,
        'ADT_SOURCE_ONLY',
      );
      expect((await deviceA.fetch(`/fhir/Patient/${onB.patientId}`)).status).toBe(403);
    });

    it("refuses to move ward B's patient (PUT of its Encounter) or to discharge one, whatever the version given", async () => {
      const current = (await (await deviceB.fetch(`/fhir/Encounter/${onB.encounterId}`)).json()) as ReturnType<typeof encounter>;
      const moved = { ...current, location: [{ location: { reference: 'Location/ward-a' } }] };
      for (const ifMatch of ['W/"1"', 'W/"7"']) {
        await expectRefused(
          () => deviceA.fetch(`/fhir/Encounter/${onB.encounterId}`, { method: 'PUT', body: moved, headers: { 'if-match': ifMatch } }),
          403,
          'ADT_SOURCE_ONLY',
        );
      }
      const ownDischarge = (await (await deviceA.fetch(`/fhir/Encounter/${onA.encounterId}`)).json()) as ReturnType<typeof encounter>;
      await expectRefused(
        () => deviceA.fetch(`/fhir/Encounter/${onA.encounterId}`, { method: 'PUT', body: { ...ownDischarge, status: 'finished' } }),
        403,
        'ADT_SOURCE_ONLY',
      );
      const nurseOnA = await deviceA.signedIn('nurse.a', PASSWORD);
      // Nothing is deleted on request, the ADT source's records included (405, before anything is read).
      await expectRefused(() => nurseOnA.fetch(`/fhir/Patient/${onA.patientId}`, { method: 'DELETE' }), 405, 'DELETE_NOT_ALLOWED');
      const census = (await (await deviceB.fetch('/fhir/Encounter?location=Location/ward-b&status=in-progress')).json()) as Bundle;
      expect(census.entry!.map((e) => e.resource!.id)).toContain(onB.encounterId);
    });
  });

  describe('a nurse writing a MedicationRequest', () => {
    it('refuses the order from her session and from the outbox in her name; her vital signs go through', async () => {
      const nurse = await deviceA.signedIn('nurse.a', PASSWORD);
      await expectRefused(() => nurse.fetch('/fhir/MedicationRequest', { body: medicationRequest(onA.patientId) }), 403, 'FORBIDDEN');
      await expectRefused(
        () =>
          deviceA.fetch('/fhir', {
            body: outboxUpload([medicationRequest(onA.patientId)], { userId: nurseA, recorded: new Date().toISOString() }),
          }),
        403,
        'FORBIDDEN',
      );
      expect((await nurse.fetch('/fhir/Observation', { body: observation(onA.patientId) })).status).toBe(201);
      // A physician documents notes but not vital signs.
      const doctor = await deviceA.signedIn('doctor.a', PASSWORD);
      await expectRefused(() => doctor.fetch('/fhir/Observation', { body: observation(onA.patientId) }), 403, 'FORBIDDEN');
    });
  });

  describe('a nurse deleting a documented vital sign', () => {
    it('refuses the DELETE with If-Match on its current version, from her session and as an outbox entry in her name (405)', async () => {
      const nurse = await deviceA.signedIn('nurse.a', PASSWORD);
      const current = (await (await nurse.fetch(`/fhir/Observation/${vitalOnA}`)).json()) as Observation;
      const ifMatch = `W/"${current.meta!.versionId}"`;
      await expectRefused(
        () => nurse.fetch(`/fhir/Observation/${vitalOnA}`, { method: 'DELETE', headers: { 'if-match': ifMatch } }),
        405,
        'DELETE_NOT_ALLOWED',
      );
      await expectRefused(
        () =>
          deviceA.fetch('/fhir', {
            body: {
              resourceType: 'Bundle',
              type: 'transaction',
              entry: [{ request: { method: 'DELETE', url: `Observation/${vitalOnA}`, ifMatch } }],
            },
          }),
        405,
        'DELETE_NOT_ALLOWED',
      );
      // A batch entry is refused alike (the batch answers 200, the entry 405), and logged.
      const logged = refusalsLogged('DELETE_NOT_ALLOWED');
      const batch = await deviceA.fetch('/fhir', {
        body: {
          resourceType: 'Bundle',
          type: 'batch',
          entry: [{ request: { method: 'DELETE', url: `Observation/${vitalOnA}`, ifMatch } }],
        },
      });
      expect(batch.status).toBe(200);
      expect(((await batch.json()) as Bundle).entry?.[0]?.response?.status).toMatch(/^405/);
      expect(refusalsLogged('DELETE_NOT_ALLOWED')).toBe(logged + 1);
      expect((await nurse.fetch(`/fhir/Observation/${vitalOnA}`)).status).toBe(200);
    });
  });

  describe('a clerk reading vitals', () => {
    it('refuses vital signs to a clerk by read and search, leaves them out of $everything, and serves her the census', async () => {
      const clerk = await deviceA.signedIn('clerk.a', PASSWORD);
      await expectRefused(() => clerk.fetch(`/fhir/Observation/${vitalOnA}`), 403, 'FORBIDDEN');
      await expectRefused(() => clerk.fetch(`/fhir/Observation?patient=${onA.patientId}`), 403, 'FORBIDDEN');
      await expectRefused(() => clerk.fetch(`/fhir/Observation/${vitalOnA}/_history/1`), 403, 'FORBIDDEN');
      const everything = (await (await clerk.fetch(`/fhir/Patient/${onA.patientId}/$everything`)).json()) as Bundle;
      expect(everything.entry!.map((e) => e.resource!.resourceType).sort()).toEqual(['Encounter', 'Patient']);
      const history = (await (await clerk.fetch('/fhir/_history?_count=1000')).json()) as Bundle;
      expect((history.entry ?? []).some((e) => e.resource?.resourceType === 'Observation')).toBe(false);
      const census = await clerk.fetch('/fhir/Encounter?location=Location/ward-a&status=in-progress&_include=Encounter:patient');
      expect(census.status).toBe(200);
      expect(((await census.json()) as Bundle).entry!.length).toBeGreaterThan(0);
    });
  });

  describe('a restricted-chart read without a reason', () => {
    it('refuses a user the restricted chart on her own ward without a reason, and leaves it out of her census', async () => {
      const nurse = await deviceA.signedIn('nurse.a', PASSWORD);
      await expectRefused(() => nurse.fetch(`/fhir/Patient/${restricted.patientId}`), 403, 'OUT_OF_SCOPE');
      await expectRefused(() => nurse.fetch(`/fhir/Patient/${restricted.patientId}/$everything`), 403, 'OUT_OF_SCOPE');
      const census = (await (
        await nurse.fetch('/fhir/Encounter?location=Location/ward-a&status=in-progress&_include=Encounter:patient')
      ).json()) as Bundle;
      expect(JSON.stringify(census)).not.toContain(restricted.patientId);
      // The ward's device keeps the chart in its cache (the workstation's guard asks for the glass).
      expect((await deviceA.fetch(`/fhir/Patient/${restricted.patientId}`)).status).toBe(200);
    });

    it('serves it with a reason for a limited time, recording every read in the access log', async () => {
      const userToken = await deviceA.login('nurse.a', PASSWORD);
      const read = (headers: Record<string, string> = {}) =>
        deviceA.fetch(`/fhir/Patient/${restricted.patientId}`, { headers: { [USER_TOKEN_HEADER]: userToken, ...headers } });
      expect((await read({ [REASON]: 'ETREAT: deteriorating, chart needed now' })).status).toBe(200);
      expect((await read()).status).toBe(200);
      const log = await hub.db.query<{ interaction: string; reason: string; user_id: string }>(
        'SELECT interaction, reason, user_id FROM hub_access_log WHERE patient_id = $1 ORDER BY at',
        [restricted.patientId],
      );
      expect(log).toEqual([
        { interaction: 'read', reason: 'ETREAT: deteriorating, chart needed now', user_id: nurseA },
        { interaction: 'read', reason: 'ETREAT: deteriorating, chart needed now', user_id: nurseA },
      ]);
      skewMs = 31 * 60_000;
      try {
        const later = await deviceA.signedIn('nurse.a', PASSWORD);
        await expectRefused(() => later.fetch(`/fhir/Patient/${restricted.patientId}`), 403, 'OUT_OF_SCOPE');
      } finally {
        skewMs = 0;
      }
    });
  });

  describe('a break-the-glass by a role that may not', () => {
    it("refuses a clerk's reason for another ward's chart, granting and recording nothing", async () => {
      const clerk = await deviceA.signedIn('clerk.a', PASSWORD);
      await expectRefused(
        () => clerk.fetch(`/fhir/Patient/${onB.patientId}`, { headers: { [REASON]: 'TREAT: asked by the ward' } }),
        403,
        'BTG_NOT_PERMITTED',
      );
      await expectRefused(
        () => clerk.fetch(`/fhir/Patient/${restricted.patientId}`, { headers: { [REASON]: 'TREAT: asked by the ward' } }),
        403,
        'BTG_NOT_PERMITTED',
      );
      const doctor = await deviceA.signedIn('doctor.a', PASSWORD);
      expect((await doctor.fetch(`/fhir/Patient/${onB.patientId}`, { headers: { [REASON]: 'ETREAT: rapid response call' } })).status).toBe(
        200,
      );
    });
  });

  describe('scope widening', () => {
    async function tokenFor(scope: string): Promise<Response> {
      const assertion = await createClientAssertion({
        privateKey: deviceA.privateKey,
        clientId: deviceA.clientId,
        tokenUrl: deviceA.tokenUrl,
        now: new Date(),
      });
      return hub.fetch('/auth/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: tokenRequestBody(assertion, scope),
      });
    }

    it('grants a token no more than asked: one asked for system/*.read reads but cannot write', async () => {
      const issued = await tokenFor('system/*.read');
      expect(issued.status).toBe(200);
      const token = (await issued.json()) as { access_token: string; scope: string };
      expect(token.scope).toBe('system/*.read');
      expect(decodeJwt(token.access_token).scope).toBe('system/*.read');
      const readOnly = (path: string, init: { method?: string; body?: unknown } = {}) =>
        hub.fetch(path, { ...init, headers: { authorization: `Bearer ${token.access_token}` } });
      expect((await readOnly(`/fhir/Patient/${onA.patientId}`)).status).toBe(200);
      const upload = outboxUpload([observation(onA.patientId)], { userId: nurseA, recorded: new Date().toISOString() });
      await expectRefused(() => readOnly('/fhir', { body: upload }), 403, 'INSUFFICIENT_SCOPE');
      await expectRefused(() => readOnly('/fhir/Observation', { body: observation(onA.patientId) }), 403, 'INSUFFICIENT_SCOPE');
      // The same upload with a token that may write goes through.
      expect((await deviceA.fetch('/fhir', { body: upload })).status).toBe(200);
    });

    it('drops scopes a workstation may not hold and refuses a request naming none it may', async () => {
      const mixed = (await (await tokenFor('system/*.write user/*.* patient/*.read launch')).json()) as { scope: string };
      expect(mixed.scope).toBe('system/*.write');
      const none = await tokenFor('user/*.* patient/Observation.read');
      expect(none.status).toBe(400);
      expect(((await none.json()) as { error: string }).error).toBe('invalid_scope');
    });
  });

  describe('the transaction-order trick', () => {
    it('refuses [new Patient, ward Encounter] and the same entries reversed alike, storing neither', async () => {
      const patientUrn = `urn:uuid:${randomUUID()}`;
      const { id: _p, ...newPatient } = patient(`p-${randomUUID()}`, 'Smuggled');
      const { id: _e, ...admission } = encounter('x', 'placeholder', 'a');
      admission.subject = { reference: patientUrn };
      const entries = [
        { fullUrl: patientUrn, resource: newPatient, request: { method: 'POST', url: 'Patient' } },
        { fullUrl: `urn:uuid:${randomUUID()}`, resource: admission, request: { method: 'POST', url: 'Encounter' } },
      ];
      const forward = await expectRefused(
        () => deviceA.fetch('/fhir', { body: { resourceType: 'Bundle', type: 'transaction', entry: entries } }),
        403,
        'ADT_SOURCE_ONLY',
      );
      const reversed = await expectRefused(
        () => deviceA.fetch('/fhir', { body: { resourceType: 'Bundle', type: 'transaction', entry: [...entries].reverse() } }),
        403,
        'ADT_SOURCE_ONLY',
      );
      expect(reversed.issue[0]!.diagnostics).toBe(forward.issue[0]!.diagnostics);
    });

    it('judges documentation by the whole transaction: a Provenance before or after its Observation is the same upload', async () => {
      for (const order of ['provenance-last', 'provenance-first'] as const) {
        const upload = outboxUpload([observation(onA.patientId)], { userId: nurseA, recorded: new Date().toISOString() });
        const entries = upload.entry as unknown[];
        if (order === 'provenance-first') entries.unshift(entries.pop());
        expect((await deviceA.fetch('/fhir', { body: upload })).status, order).toBe(200);
      }
    });
  });

  describe('the conditional-create probe', () => {
    let foreignMarker: string;

    beforeAll(async () => {
      foreignMarker = randomUUID();
      await feedResources(hub.db, [observation(onB.patientId, { id: `probe-${foreignMarker}`, identifier: foreignMarker })]);
    });

    it("answers a conditional create for another ward's patient the same whether or not its identifier exists there", async () => {
      const probe = (marker: string) => {
        const upload = outboxUpload([observation(onB.patientId)], { userId: nurseA, recorded: new Date().toISOString() });
        const first = (upload.entry as { request: { ifNoneExist: string } }[])[0]!;
        first.request.ifNoneExist = `identifier=${TEST_IDENTIFIER_SYSTEM}|${marker}`;
        return deviceA.fetch('/fhir', { body: upload });
      };
      const exists = await expectRefused(() => probe(foreignMarker), 403, 'OUT_OF_SCOPE');
      const absent = await expectRefused(() => probe(randomUUID()), 403, 'OUT_OF_SCOPE');
      expect(exists.issue[0]!.diagnostics).toBe(absent.issue[0]!.diagnostics);
      const single = (marker: string) =>
        deviceA.fetch('/fhir/Observation', {
          body: observation(onB.patientId),
          headers: { 'if-none-exist': `identifier=${TEST_IDENTIFIER_SYSTEM}|${marker}` },
        });
      const one = await expectRefused(() => single(foreignMarker), 403, 'OUT_OF_SCOPE');
      const other = await expectRefused(() => single(randomUUID()), 403, 'OUT_OF_SCOPE');
      expect(one.issue[0]!.diagnostics).toBe(other.issue[0]!.diagnostics);
    });

    it("creates its own ward's resource whether or not the identifier exists on another ward, never returning that ward's", async () => {
      for (const marker of [foreignMarker, randomUUID()]) {
        const upload = outboxUpload([observation(onA.patientId)], { userId: nurseA, recorded: new Date().toISOString() });
        const first = (upload.entry as { request: { ifNoneExist: string } }[])[0]!;
        first.request.ifNoneExist = `identifier=${TEST_IDENTIFIER_SYSTEM}|${marker}`;
        const response = await deviceA.fetch('/fhir', { body: upload });
        expect(response.status).toBe(200);
        const result = (await response.json()) as Bundle;
        expect(result.entry![0]!.response!.status).toBe('201 Created');
        expect(JSON.stringify(result)).not.toContain(onB.patientId);
      }
      const foreign = (await (await deviceB.fetch(`/fhir/Observation/probe-${foreignMarker}`)).json()) as Observation;
      expect(foreign.meta?.versionId).toBe('1');
    });
  });

  describe('a workstation marking its own documentation as in conflict with the EHR', () => {
    it('refuses the hub-only conflict mark and a "withheld" mark with no conflict held, and takes the same vital sign unmarked', async () => {
      const marked = (system: string): Observation => ({
        ...observation(onA.patientId),
        meta: { tag: [{ system, code: 'UPSTREAM_ORDER_CHANGED' }] },
      });
      const upload = (resource: Observation) =>
        deviceA.fetch('/fhir', { body: outboxUpload([resource], { userId: nurseA, recorded: new Date().toISOString() }) });
      const conflict = await expectRefused(() => upload(marked(UPSTREAM_CONFLICT_TAG_SYSTEM)), 403, 'FORBIDDEN');
      expect(conflict.issue[0]!.diagnostics).toContain('Only the hub marks documentation');
      const withheld = await expectRefused(() => upload(marked(UPSTREAM_WITHHELD_TAG_SYSTEM)), 403, 'FORBIDDEN');
      expect(withheld.issue[0]!.diagnostics).toContain('can be kept out of the EHR');
      expect((await upload(observation(onA.patientId))).status).toBe(200);
    });
  });
});
