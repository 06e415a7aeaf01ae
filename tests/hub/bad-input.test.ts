// What a broken or hostile client sends: malformed JSON, a body of the wrong type, an invalid
// resource, an oversized body or Bundle, unknown types, injection-shaped search values. Each gets a
// clear OperationOutcome and nothing is stored (the store's row counts do not move).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle } from '../../shared/fhir/index.js';
import { hubErrorCode } from '../../shared/auth/index.js';
import { MAX_BUNDLE_ENTRIES } from '../../server/fhir/index.js';
import { addUser } from '../../server/identity/index.js';
import { startHub, type HubEngine, type TestDevice, type TestHub } from '../support/hub-harness.js';
import { admitPatient, observation, seedWard, type AdmittedPatient } from '../support/hub-fixtures.js';

async function storeCounts(hub: TestHub): Promise<string> {
  const rows = await hub.db.query<{ n: number }>(
    `SELECT (SELECT COUNT(*) FROM fhir_resources) + 1000000 * (SELECT COUNT(*) FROM fhir_versions) AS n`,
  );
  return String(rows[0]!.n);
}

async function expectOutcome(
  response: Response,
  status: number,
  code: string,
): Promise<{ issue: { diagnostics: string; expression?: string[] }[] }> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/fhir+json');
  const body = (await response.json()) as { resourceType: string; issue: { diagnostics: string; expression?: string[] }[] };
  expect(body.resourceType).toBe('OperationOutcome');
  expect(hubErrorCode(body)).toBe(code);
  expect(body.issue[0]!.diagnostics.length).toBeGreaterThan(10);
  return body;
}

describe.each<HubEngine>(['sqlite', 'postgres'])('bad input on %s', (engine) => {
  let hub: TestHub;
  let device: TestDevice;
  let admitted: AdmittedPatient;

  beforeAll(async () => {
    hub = await startHub({ engine, bodyLimit: 256 * 1024, rateLimit: { sustainedPerSecond: 10_000, burst: 10_000 } });
    await seedWard(hub.db, 'a');
    admitted = await admitPatient(hub.db, 'a');
    await addUser(hub.db, { username: 'nurse.a', password: 'correct horse battery', role: 'nurse', wards: ['a'], mfa: false });
    device = await (await hub.enrollDevice('a')).signedIn('nurse.a', 'correct horse battery');
  });

  afterAll(async () => {
    await hub?.stop();
  });

  it('answers malformed JSON with 400 and stores nothing', async () => {
    const before = await storeCounts(hub);
    await expectOutcome(await device.fetch('/fhir/Observation', { body: '{"resourceType": "Observation", ' }), 400, 'MALFORMED_JSON');
    await expectOutcome(await device.fetch('/fhir', { body: '[[[' }), 400, 'MALFORMED_JSON');
    await expectOutcome(await device.fetch('/fhir/Observation', { body: '"just a string"' }), 400, 'MALFORMED_JSON');
    expect(await storeCounts(hub)).toBe(before);
  });

  it('refuses a body whose resourceType differs from the URL, or whose id differs on update', async () => {
    const before = await storeCounts(hub);
    await expectOutcome(
      await device.fetch('/fhir/Observation', { body: { resourceType: 'Patient', name: [{ family: 'X' }] } }),
      400,
      'RESOURCE_TYPE_MISMATCH',
    );
    await expectOutcome(
      await device.fetch('/fhir/Observation/abc', { method: 'PUT', body: { ...observation(admitted.patientId), id: 'xyz' } }),
      400,
      'ID_MISMATCH',
    );
    expect(await storeCounts(hub)).toBe(before);
  });

  it('answers an invalid resource with 422 naming the element path', async () => {
    const before = await storeCounts(hub);
    const bad = { ...observation(admitted.patientId), status: 'nonsense' };
    const outcome = await expectOutcome(await device.fetch('/fhir/Observation', { body: bad }), 422, 'INVALID_RESOURCE');
    expect(outcome.issue[0]!.expression).toEqual(['Observation.status']);
    const missing = { ...observation(admitted.patientId), code: undefined };
    const second = await expectOutcome(await device.fetch('/fhir/Observation', { body: missing }), 422, 'INVALID_RESOURCE');
    expect(second.issue[0]!.expression).toEqual(['Observation.code']);
    const control = { ...observation(admitted.patientId), note: [{ text: 'a\u0000b' }] };
    await expectOutcome(await device.fetch('/fhir/Observation', { body: control }), 422, 'INVALID_RESOURCE');
    expect(await storeCounts(hub)).toBe(before);
  });

  it('refuses unknown resource types and unsupported interactions', async () => {
    const before = await storeCounts(hub);
    await expectOutcome(await device.fetch('/fhir/Spaceship/1'), 404, 'UNKNOWN_RESOURCE_TYPE');
    await expectOutcome(await device.fetch('/fhir/Spaceship', { body: { resourceType: 'Spaceship' } }), 404, 'UNKNOWN_RESOURCE_TYPE');
    await expectOutcome(await device.fetch('/fhir/Spaceship?name=x'), 404, 'UNKNOWN_RESOURCE_TYPE');
    await expectOutcome(
      await device.fetch(`/fhir/Observation/${randomUUID()}`, { method: 'PATCH', body: '[]' }),
      405,
      'METHOD_NOT_ALLOWED',
    );
    await expectOutcome(await device.fetch(`/fhir/AuditEvent/${randomUUID()}`), 405, 'METHOD_NOT_ALLOWED');
    // The trail is searched by the privacy officer's role only; a nurse is refused.
    await expectOutcome(await device.fetch('/fhir/AuditEvent?_count=1'), 403, 'FORBIDDEN');
    await expectOutcome(await device.fetch('/fhir/Observation?color=blue'), 400, 'INVALID_SEARCH');
    expect(await storeCounts(hub)).toBe(before);
  });

  it('refuses a body over the size limit with 413, and a Bundle with too many entries', async () => {
    const before = await storeCounts(hub);
    const huge = { ...observation(admitted.patientId), note: [{ text: 'x'.repeat(300 * 1024) }] };
    await expectOutcome(await device.fetch('/fhir/Observation', { body: huge }), 413, 'BODY_TOO_LARGE');
    const entries = Array.from({ length: MAX_BUNDLE_ENTRIES + 1 }, () => ({ request: { method: 'DELETE', url: 'Observation/x' } }));
    await expectOutcome(
      await device.fetch('/fhir', { body: { resourceType: 'Bundle', type: 'transaction', entry: entries } }),
      413,
      'TOO_MANY_ENTRIES',
    );
    await expectOutcome(
      await device.fetch('/fhir', { body: { resourceType: 'Bundle', type: 'collection', entry: [] } }),
      400,
      'INVALID_BUNDLE',
    );
    await expectOutcome(
      await device.fetch('/fhir', {
        body: { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'PATCH', url: 'Observation/1' } }] },
      }),
      400,
      'INVALID_BUNDLE',
    );
    expect(await storeCounts(hub)).toBe(before);
  });

  it('treats injection-shaped search values as plain values', async () => {
    const before = await storeCounts(hub);
    const hostile = [
      "'; DROP TABLE fhir_resources; --",
      "x' OR '1'='1",
      '1) OR (1=1',
      '%',
      '_',
      '\\',
      "Robert'); DELETE FROM fhir_versions;--",
      '$1',
      '"',
      'ward-a%00',
    ];
    for (const value of hostile) {
      for (const path of [
        `/fhir/Observation?identifier=${encodeURIComponent(value)}`,
        `/fhir/Observation?identifier=${encodeURIComponent(`${value}|${value}`)}`,
        `/fhir/Observation?status=${encodeURIComponent(value)}`,
        `/fhir/Encounter?location=${encodeURIComponent(value)}&status=in-progress`,
        `/fhir/Observation?_id=${encodeURIComponent(value)}`,
      ]) {
        const response = await device.fetch(path);
        expect([200, 400], path).toContain(response.status);
        const body = (await response.json()) as Bundle;
        if (response.status === 200) expect(body.entry ?? []).toHaveLength(0);
      }
      const conditional = await device.fetch('/fhir/Observation', {
        body: observation(admitted.patientId),
        headers: { 'if-none-exist': `identifier=${encodeURIComponent(value)}` },
      });
      expect(conditional.status).toBe(201);
    }
    // A NUL character is refused outright (PostgreSQL cannot hold it in text).
    expect((await device.fetch(`/fhir/Observation?identifier=${encodeURIComponent('a\u0000b')}`)).status).toBe(400);
    // The tables are all still there, and exactly the conditional creates were stored (each with
    // the hub's Provenance naming the nurse who sent it).
    const census = await device.fetch('/fhir/Encounter?location=Location/ward-a&status=in-progress');
    expect(((await census.json()) as Bundle).entry).toHaveLength(1);
    const afterRows = await hub.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM fhir_versions');
    const beforeVersions = Math.floor(Number(before) / 1_000_000);
    expect(afterRows[0]!.n).toBe(beforeVersions + 2 * hostile.length);
  });

  it('answers requests without a device token with 401 before reading the body', async () => {
    const before = await storeCounts(hub);
    const response = await hub.fetch('/fhir/Observation', { body: observation(admitted.patientId) });
    expect(response.status).toBe(401);
    expect(hubErrorCode(await response.json())).toBe('DEVICE_TOKEN_MISSING');
    expect(await storeCounts(hub)).toBe(before);
  });
});
