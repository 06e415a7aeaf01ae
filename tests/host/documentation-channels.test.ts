// Documenting through the window's channels on a workstation enrolled at a real hub: vital signs go
// to the outbox, show as pending, are audited as written, and the next sync delivers them to the
// hub once, signed by the nurse; a dose is refused against an order that is not an active order of
// that patient, writing nothing; a clerk cannot document; notes read back as their plain text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentReference, MedicationRequest, Observation } from '../../shared/fhir/index.js';
import { CLIENT_ID_SYSTEM } from '../../electron/sync/index.js';
import { feedResources } from '../support/hub-fixtures.js';
import { startEnrolledTestHost, type EnrolledTestHost } from '../support/enrolled-host.js';
import { hubCopiesOf, NOW } from '../sync/sync-test-kit.js';
import { correctDose, plainScheduledOrder } from '../support/administration-fixtures.js';

let t: EnrolledTestHost;

beforeAll(async () => {
  t = await startEnrolledTestHost({ seed: 'documentation-channels' });
  await t.signIn('nina');
  await t.call('sync:now', {});
});

afterAll(async () => {
  await t?.close();
});

const patient = (index: number) => t.ward.patients[index]!;
const activeOrderOf = (index: number): MedicationRequest =>
  patient(index).resources.find((r): r is MedicationRequest => r.resourceType === 'MedicationRequest' && r.status === 'active')!;

async function hubObservation(clientId: string): Promise<Observation> {
  const rows = await t.hub.db.query<{ content: string }>(
    `SELECT CAST(r.content AS TEXT) AS content FROM fhir_tokens k JOIN fhir_resources r ON r.res_type = k.res_type AND r.res_id = k.res_id
     WHERE k.res_type = 'Observation' AND k.param = 'identifier' AND k.system = $1 AND k.value = $2`,
    [CLIENT_ID_SYSTEM, clientId],
  );
  return JSON.parse(rows[0]!.content) as Observation;
}

const userId = (username: string): string => t.staff.find((a) => a.username === username)!.userId;
const writes = () => t.host.audit.find({}).filter((e) => e.action === 'create');

describe('documenting through the window', () => {
  it('records vital signs as pending, audits the write, and the next sync delivers them to the hub once, signed by the nurse', async () => {
    await t.signIn('nina');
    const patientId = patient(0).patient.id!;
    const receipt = await t.call<{ entryId: string; resourceIds: string[]; status: string }>('chart:record-vitals', {
      patientId,
      vitals: { heartRate: 91, systolic: 128, diastolic: 77, temperatureCelsius: 37.9 },
    });
    expect(receipt.status).toBe('pending-upload');
    expect(receipt.resourceIds).toHaveLength(3);
    expect(await t.call('chart:pending', { patientId })).toEqual([
      {
        entryId: receipt.entryId,
        kind: 'vital-signs',
        recordedAt: expect.any(String),
        status: 'pending-upload',
        lastError: null,
        deliveredAt: null,
      },
    ]);
    const [written] = writes();
    expect(written).toMatchObject({ user: userId('nina'), patient: patientId, purposeOfUse: 'TREAT', detail: { downtime: false } });
    expect(written!.resources).toEqual(receipt.resourceIds.map((id) => `Observation/${id}`).sort());

    const status = await t.call<{ outboxPending: number; state: string; lastError: string | null }>('sync:now', {});
    expect(status).toMatchObject({ outboxPending: 0, lastError: null });
    expect(['online', 'degraded']).toContain(status.state);
    for (const clientId of receipt.resourceIds) {
      expect(await hubCopiesOf(t.hub.db, 'Observation', CLIENT_ID_SYSTEM, clientId)).toBe(1);
      const onHub = await hubObservation(clientId);
      expect(onHub.performer?.[0]?.reference).toBe(`Practitioner/${userId('nina')}`);
      expect(onHub.subject?.reference).toBe(`Patient/${patientId}`);
    }
    expect(await t.call('chart:pending', { patientId })).toEqual([
      {
        entryId: receipt.entryId,
        kind: 'vital-signs',
        recordedAt: expect.any(String),
        status: 'delivered',
        lastError: null,
        deliveredAt: expect.any(String),
      },
    ]);
  });

  it('records a correct dose against an active order of the patient, once the patient is confirmed', async () => {
    await t.signIn('nina');
    const patientId = patient(1).patient.id!;
    const receipt = await t.call<{ resourceIds: string[] }>('chart:record-administration', {
      patientId,
      administration: correctDose(patient(1), plainScheduledOrder(patient(1))!, NOW),
    });
    await t.call('sync:now', {});
    expect(await hubCopiesOf(t.hub.db, 'MedicationAdministration', CLIENT_ID_SYSTEM, receipt.resourceIds[0]!)).toBe(1);
  });

  it("refuses a dose against an unknown order, another patient's order, or an order stopped on the hub, writing nothing", async () => {
    await t.signIn('nina');
    const stopped = activeOrderOf(2);
    await feedResources(t.hub.db, [{ ...stopped, status: 'stopped' } as MedicationRequest]);
    await t.call('sync:now', {});
    expect(t.host.vault.resources.read('MedicationRequest', stopped.id!)?.status).toBe('stopped');
    const before = writes().length;
    const attempts: Array<[string, string, string]> = [
      [patient(0).patient.id!, 'no-such-order', 'RESOURCE_NOT_CACHED'],
      [patient(0).patient.id!, activeOrderOf(1).id!, 'RESOURCE_NOT_CACHED'],
      [patient(2).patient.id!, stopped.id!, 'ORDER_NOT_ACTIVE'],
    ];
    for (const [patientId, medicationRequestId, code] of attempts) {
      const result = await t.transport.send('chart:record-administration', {
        patientId,
        administration: { medicationRequestId, given: true },
      });
      expect(result, medicationRequestId).toMatchObject({ ok: false, error: { code } });
    }
    expect(t.host.vault.outbox.count()).toBe(0);
    expect(writes()).toHaveLength(before);
  });

  it('lets no clerk and no physician record vital signs or doses', async () => {
    for (const username of ['carla', 'paul']) {
      await t.signIn(username);
      const vitals = await t.transport.send('chart:record-vitals', { patientId: patient(0).patient.id!, vitals: { heartRate: 70 } });
      const dose = await t.transport.send('chart:record-administration', {
        patientId: patient(1).patient.id!,
        administration: { medicationRequestId: activeOrderOf(1).id!, given: true },
      });
      expect(vitals, username).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(dose, username).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(t.host.vault.outbox.count()).toBe(0);
  });

  it("reads a patient's notes newest first, as the text that was written, with one audit entry", async () => {
    await t.signIn('paul');
    const patientId = patient(0).patient.id!;
    const before = t.host.audit.find({ patient: patientId }).length;
    const page = await t.call<{ notes: { id: string; date: string | null; text: string; title: string }[]; total: number }>('chart:notes', {
      patientId,
    });
    const notes = page.notes;
    const generated = patient(0).resources.filter((r): r is DocumentReference => r.resourceType === 'DocumentReference');
    expect(page.total).toBe(generated.length);
    expect(notes.map((n) => n.id).sort()).toEqual(generated.map((n) => n.id!).sort());
    const dates = notes.map((n) => Date.parse(n.date!));
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
    for (const note of notes) {
      const source = generated.find((n) => n.id === note.id)!;
      expect(note.text).toBe(Buffer.from(source.content[0]!.attachment.data!, 'base64').toString('utf8'));
    }
    const entries = t.host.audit.find({ patient: patientId }).slice(before);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'chart-read', user: userId('paul'), detail: { view: 'notes', notes: notes.length } });
  });
  it('records consciousness (ACVPU) and oxygen as LOINC-coded observations the hub holds, and the census scores the set with NEWS2', async () => {
    await t.signIn('nina');
    const patientId = patient(1).patient.id!;
    const vitals = {
      heartRate: 104,
      respiratoryRate: 22,
      systolic: 98,
      diastolic: 60,
      temperatureCelsius: 38.4,
      oxygenSaturation: 93,
      onOxygen: true,
      oxygenFlowLitresPerMinute: 2,
      consciousness: 'new-confusion',
    };
    const receipt = await t.call<{ resourceIds: string[] }>('chart:record-vitals', { patientId, vitals });
    await t.call('sync:now', {});
    const onHub = await Promise.all(receipt.resourceIds.map(hubObservation));
    const byCode = new Map(onHub.map((o) => [o.code.coding?.[0]?.code, o]));
    expect(byCode.get('3151-8')?.valueQuantity).toMatchObject({ value: 2, code: 'L/min', system: 'http://unitsofmeasure.org' });
    expect(byCode.get('67775-7')?.valueCodeableConcept?.coding?.[0]).toMatchObject({ system: 'http://snomed.info/sct', code: '130987000' });
    const census = await t.call<Array<{ patientId: string; news2: { total: number; band: string; complete: boolean } | null }>>(
      'chart:census',
      {},
    );
    // RR 22 → 2, SpO2 93 → 2, oxygen → 2, systolic 98 → 2, pulse 104 → 1, new confusion → 3, 38.4 °C → 1.
    expect(census.find((row) => row.patientId === patientId)?.news2).toMatchObject({ total: 13, band: 'high', complete: true });
  });

  it('refuses impossible vital signs (a pulse of 0, a diastolic above the systolic, a flow without oxygen) with a clear message, writing nothing', async () => {
    await t.signIn('nina');
    const patientId = patient(0).patient.id!;
    const before = writes().length;
    const pending = t.host.vault.outbox.count();
    for (const vitals of [
      { heartRate: 0 },
      { systolic: 60, diastolic: 98 },
      { oxygenSaturation: 95, oxygenFlowLitresPerMinute: 2 },
      { temperatureCelsius: 372 },
    ]) {
      const result = await t.transport.send('chart:record-vitals', { patientId, vitals });
      expect(result, JSON.stringify(vitals)).toMatchObject({ ok: false });
    }
    expect(t.host.vault.outbox.count()).toBe(pending);
    expect(writes()).toHaveLength(before);
  });
});
