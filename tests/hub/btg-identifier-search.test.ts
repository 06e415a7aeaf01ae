// A Patient search by MRN from another ward's workstation, as break-the-glass uses it: it finds the
// patient only with a signed-in user and a reason, only when the MRN names exactly one patient,
// and the hub records the access with the reason; otherwise the search stays within the ward.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle } from '../../shared/fhir/index.js';
import { addUser } from '../../server/identity/index.js';
import { startHub, USER_TOKEN_HEADER, type HubEngine, type TestDevice, type TestHub } from '../support/hub-harness.js';
import { admitPatient, feedResources, patient, seedWard, type AdmittedPatient } from '../support/hub-fixtures.js';

const REASON_HEADER = 'X-Wardline-Btg-Reason';

async function matches(response: Response): Promise<string[]> {
  expect(response.status).toBe(200);
  const bundle = (await response.json()) as Bundle;
  return (bundle.entry ?? []).map((entry) => entry.resource!.id!);
}

describe.each<HubEngine>(['sqlite', 'postgres'])('break-the-glass search by MRN on %s', (engine) => {
  let hub: TestHub;
  let deviceA: TestDevice;
  let onB: AdmittedPatient;
  let userToken: string;
  const mrnOf = (patientId: string): string => patient(patientId).identifier![0]!.value!;
  const search = (mrn: string, headers: Record<string, string> = {}) =>
    deviceA.fetch(`/fhir/Patient?identifier=${encodeURIComponent(`urn:wardline:mrn|${mrn}`)}`, { headers });

  beforeAll(async () => {
    hub = await startHub({ engine, rateLimit: { sustainedPerSecond: 10_000, burst: 10_000 } });
    await seedWard(hub.db, 'a');
    await seedWard(hub.db, 'b');
    deviceA = await hub.enrollDevice('a');
    onB = await admitPatient(hub.db, 'b');
    await addUser(hub.db, { username: 'paul.a', password: 'correct horse battery', role: 'physician', wards: ['a'], mfa: false });
    userToken = await deviceA.login('paul.a', 'correct horse battery');
  });

  afterAll(async () => {
    await hub?.stop();
  });

  it("finds another ward's patient by MRN only with a user and a reason, and records that access with the reason", async () => {
    const mrn = mrnOf(onB.patientId);
    expect(await matches(await search(mrn))).toEqual([]);
    expect(await matches(await search(mrn, { [USER_TOKEN_HEADER]: userToken }))).toEqual([]);
    expect(await matches(await search(mrn, { [REASON_HEADER]: 'ETREAT: collapsed in radiology' }))).toEqual([]);
    expect(await hub.db.query('SELECT 1 FROM hub_access_log WHERE patient_id = $1', [onB.patientId])).toHaveLength(0);

    const found = await matches(await search(mrn, { [USER_TOKEN_HEADER]: userToken, [REASON_HEADER]: 'ETREAT: collapsed in radiology' }));
    expect(found).toEqual([onB.patientId]);
    const log = await hub.db.query<{ interaction: string; res_type: string; reason: string }>(
      'SELECT interaction, res_type, reason FROM hub_access_log WHERE patient_id = $1',
      [onB.patientId],
    );
    expect(log).toEqual([{ interaction: 'search', res_type: 'Patient', reason: 'ETREAT: collapsed in radiology' }]);
  });

  it('widens to nobody when the MRN names two patients', async () => {
    const first = await admitPatient(hub.db, 'b');
    const second = await admitPatient(hub.db, 'b');
    const shared = mrnOf(first.patientId);
    await feedResources(hub.db, [{ ...patient(second.patientId), identifier: [{ system: 'urn:wardline:mrn', value: shared }] }]);
    const found = await matches(
      await search(shared, { [USER_TOKEN_HEADER]: userToken, [REASON_HEADER]: 'ETREAT: collapsed in radiology' }),
    );
    expect(found).toEqual([]);
    const log = await hub.db.query('SELECT 1 FROM hub_access_log WHERE patient_id IN ($1, $2)', [first.patientId, second.patientId]);
    expect(log).toHaveLength(0);
  });
});
