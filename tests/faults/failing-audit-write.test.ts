// The audit disk is full (issue 15): the audit store's port (the host's AuditLog) fails its writes
// as the real one does (RECORD_FAILED, caused by ENOSPC) while a nurse documents through the
// window's channels, online and in downtime: vital signs, a dose, a correction, a retraction. Each
// attempt is refused and leaves nothing documented (no outbox entry, no changed record, no audit
// entry); at no point does an outbox entry exist without its audit entry. Her retry, once the disk
// has room again, records each act once, audited once, and the hub ends up holding each created
// resource exactly once and each amendment as exactly one new version.
// (tests/host/amendment-channels.test.ts has the online vital signs and the conflict settlement.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditError } from '../../electron/audit/index.js';
import { CLIENT_ID_SYSTEM } from '../../electron/sync/index.js';
import type { MedicationRequest, Observation } from '../../shared/fhir/index.js';
import { UCUM_SYSTEM, RXNORM_SYSTEM } from '../../shared/fhir/index.js';
import { startEnrolledTestHost, type EnrolledTestHost } from '../support/enrolled-host.js';
import { feedResources } from '../support/hub-fixtures.js';
import { hubCopiesOf } from '../sync/sync-test-kit.js';

let t: EnrolledTestHost;
const HEART_RATE = '8867-4';
const WINDOW = { from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' };

beforeAll(async () => {
  t = await startEnrolledTestHost({ seed: 'failing-audit-write', patients: 4 });
  await t.signIn('nina');
  await t.call('sync:now', {});
});

afterAll(async () => {
  await t?.close();
});

/** Runs `attempt` while every audit write fails as on a full disk; the port works again afterwards. */
async function withAuditDiskFull<T>(attempt: () => Promise<T>): Promise<T> {
  const audit = t.host.audit;
  const { record, recordAll } = audit;
  const full = (): never => {
    throw new AuditError('RECORD_FAILED', 'The audit trail could not be written (the disk is full).', {
      cause: Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL' }),
    });
  };
  audit.record = full;
  audit.recordAll = full;
  try {
    return await attempt();
  } finally {
    audit.record = record;
    audit.recordAll = recordAll;
  }
}

/** What the workstation holds of documentation now. */
function snapshot() {
  return {
    outbox: t.host.vault.outbox.count(),
    auditHead: t.host.audit.head().sequence,
    observations: t.host.vault.resources.count('Observation'),
    administrations: t.host.vault.resources.count('MedicationAdministration'),
    provenances: t.host.vault.resources.count('Provenance'),
  };
}

/** Outbox resources ("Type/id") with no create or update audit entry naming them. */
function outboxWithoutAudit(): string[] {
  const audited = new Set(
    [...t.host.audit.iterate()].filter((e) => e.action === 'create' || e.action === 'update').flatMap((e) => e.resources),
  );
  return t.host.vault.outbox
    .pending()
    .flatMap((entry) => entry.items.map((i) => `${i.resource.resourceType}/${i.resource.id}`))
    .filter((key) => !audited.has(key));
}

/** Sends `request` on `channel` with the audit disk full (refused, nothing changed), then again (once). */
async function refusedThenOnce<T>(channel: string, request: unknown): Promise<T> {
  const before = snapshot();
  const refused = await withAuditDiskFull(() => t.transport.send(channel, request));
  expect(refused, channel).toMatchObject({ ok: false, error: { code: 'RECORD_FAILED' } });
  expect(snapshot(), `${channel}: nothing documented while the audit write fails`).toEqual(before);
  expect(outboxWithoutAudit()).toEqual([]);
  const answer = await t.call<T>(channel, request);
  expect(t.host.audit.head().sequence, `${channel}: one audit entry for the retry`).toBe(before.auditHead + 1);
  expect(t.host.vault.outbox.count()).toBe(before.outbox + 1);
  expect(outboxWithoutAudit()).toEqual([]);
  return answer;
}

const patientsOpen = (): string[] =>
  t.ward.patients
    .filter((p) => !(p.patient.meta?.security ?? []).some((s) => s.code === 'R' || s.code === 'V'))
    .map((p) => p.patient.id!)
    .filter((id) => t.host.vault.census().some((entry) => entry.patientId === id));

function asNeededOrder(id: string, patientId: string): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id,
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: {
      coding: [{ system: RXNORM_SYSTEM, code: '313782', display: 'Paracetamol 500 MG' }],
      text: 'Paracetamol 500 MG',
    },
    subject: { reference: `Patient/${patientId}` },
    authoredOn: new Date(Date.now() - 86_400_000).toISOString(),
    dosageInstruction: [
      {
        text: '500 mg orally every 6 hours as needed for pain',
        timing: { repeat: { frequency: 1, period: 6, periodUnit: 'h' } },
        asNeededBoolean: true,
        doseAndRate: [{ doseQuantity: { value: 500, unit: 'mg', system: UCUM_SYSTEM, code: 'mg' } }],
      },
    ],
  } as MedicationRequest;
}

async function hubVersionOf(type: string, id: string): Promise<number> {
  const rows = await t.hub.db.query<{ content: string }>(
    'SELECT CAST(content AS TEXT) AS content FROM fhir_resources WHERE res_type = $1 AND res_id = $2',
    [type, id],
  );
  return Number((JSON.parse(rows[0]!.content) as { meta: { versionId: string } }).meta.versionId);
}

describe('a failing audit write', () => {
  it('documents nothing, online or in downtime, and the retry reaches the hub exactly once', async () => {
    const [first, second] = patientsOpen() as [string, string];
    await feedResources(t.hub.db, [asNeededOrder('audit-full-prn', second)]);
    await t.call('sync:now', {});
    const created: { type: string; id: string }[] = [];

    // Online: vital signs.
    const online = await refusedThenOnce<{ resourceIds: string[] }>('chart:record-vitals', {
      patientId: first,
      vitals: { heartRate: 71, temperatureCelsius: 36.9 },
    });
    created.push(...online.resourceIds.map((id) => ({ type: 'Observation', id })));

    // A correction of a heart rate the hub holds, still online but not yet synced.
    const entries = await t.call<{ resourceType: string; id: string; versionId: string | null }[]>('chart:recorded-entries', {
      patientId: first,
      ...WINDOW,
    });
    const heartRate = entries.find(
      (e) =>
        e.resourceType === 'Observation' &&
        e.versionId !== null &&
        (t.host.vault.resources.read('Observation', e.id) as Observation).code.coding?.[0]?.code === HEART_RATE,
    )!;
    const correctedVersion = await hubVersionOf('Observation', heartRate.id);
    await refusedThenOnce('chart:amend', {
      patientId: first,
      resourceType: 'Observation',
      id: heartRate.id,
      versionId: heartRate.versionId,
      action: 'correct',
      reason: 'wrong-value',
      values: { value: 64 },
    });

    // Downtime: the ward's link to the hub is cut; vital signs and a dose (each with its Provenance).
    t.proxy.setFaults({ drop: 1 });
    await t.transport.send('sync:now', {});
    expect(await t.call<{ state: string }>('sync:status', {})).toMatchObject({ state: expect.stringMatching(/offline|hub-down/) });
    const downtime = await refusedThenOnce<{ resourceIds: string[] }>('chart:record-vitals', {
      patientId: second,
      vitals: { heartRate: 102 },
    });
    created.push(...downtime.resourceIds.map((id) => ({ type: 'Observation', id })));
    const patient = t.ward.patients.find((p) => p.patient.id === second)!.patient;
    const mrn = patient.identifier!.find((i) => i.system === 'urn:wardline:mrn')!.value!;
    const dose = await refusedThenOnce<{ resourceIds: string[] }>('chart:record-administration', {
      patientId: second,
      administration: {
        medicationRequestId: 'audit-full-prn',
        given: true,
        dose: { value: 500, unit: 'mg' },
        patientConfirmation: { method: 'typed', value: mrn },
      },
    });
    created.push(...dose.resourceIds.map((id) => ({ type: 'MedicationAdministration', id })));

    // The link is back: everything reaches the hub, once.
    t.proxy.setFaults(null);
    await t.call('sync:now', {});
    expect(t.host.vault.outbox.count()).toBe(0);
    for (const { type, id } of created) expect(await hubCopiesOf(t.hub.db, type, CLIENT_ID_SYSTEM, id), `${type}/${id}`).toBe(1);
    expect(await hubVersionOf('Observation', heartRate.id), 'the correction is one new version').toBe(correctedVersion + 1);
    expect(t.host.audit.verify()).toMatchObject({ ok: true });
  });
});
