// Writing notes through the window's channels on a workstation enrolled at a real hub (over TLS): a
// physician's note goes to the outbox as a DocumentReference (a progress note, a nurse's a nursing
// note), shows at once in the chart's notes as pending upload and in the pending list, is audited as
// written inside the same transaction, and the next sync delivers it to the hub once, in the
// writer's name. A role the permission table does not let document notes is refused, and a failed
// audit write leaves nothing documented (the retry reaches the hub once).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPermitted } from '../../shared/access/index.js';
import { NOTE_MAX_CHARS, type NoteData } from '../../shared/contract/index.js';
import type { DocumentReference } from '../../shared/fhir/index.js';
import { AuditError } from '../../electron/audit/index.js';
import { CLIENT_ID_SYSTEM } from '../../electron/sync/index.js';
import { startEnrolledTestHost, type EnrolledTestHost } from '../support/enrolled-host.js';
import { hubCopiesOf } from '../sync/sync-test-kit.js';

let t: EnrolledTestHost;

beforeAll(async () => {
  t = await startEnrolledTestHost({ seed: 'note-channels' });
  await t.signIn('nina');
  await t.call('sync:now', {});
});

afterAll(async () => {
  await t?.close();
});

const patientId = (index: number): string => t.ward.patients[index]!.patient.id!;
const userId = (username: string): string => t.staff.find((a) => a.username === username)!.userId;
const notesOf = (patient: string) => t.call<{ notes: NoteData[]; total: number }>('chart:notes', { patientId: patient });

async function hubNote(clientId: string): Promise<DocumentReference[]> {
  const rows = await t.hub.db.query<{ content: string }>(
    `SELECT CAST(r.content AS TEXT) AS content FROM fhir_tokens k JOIN fhir_resources r ON r.res_type = k.res_type AND r.res_id = k.res_id
     WHERE k.res_type = 'DocumentReference' AND k.param = 'identifier' AND k.system = $1 AND k.value = $2 AND r.deleted = 0`,
    [CLIENT_ID_SYSTEM, clientId],
  );
  return rows.map((row) => JSON.parse(row.content) as DocumentReference);
}

const plainText = (note: DocumentReference): string => Buffer.from(note.content[0]!.attachment.data!, 'base64').toString('utf8');

describe('writing a note through the window', () => {
  it("shows a physician's note at once as pending, audits it, and the next sync delivers it to the hub once, in his name", async () => {
    await t.signIn('paul');
    const patient = patientId(0);
    const before = await notesOf(patient);
    const text = 'Ward round: chest clear, plan to step down oxygen.\nReview bloods tomorrow — Ünïcode kept.';
    const receipt = await t.call<{ entryId: string; resourceIds: string[]; status: string }>('chart:record-note', {
      patientId: patient,
      note: { text, title: 'Ward round' },
    });
    expect(receipt.status).toBe('pending-upload');
    expect(receipt.resourceIds).toHaveLength(1);
    const [noteId] = receipt.resourceIds;

    const shown = await notesOf(patient);
    expect(shown.total).toBe(before.total + 1);
    expect(shown.notes[0]).toMatchObject({ id: noteId, title: 'Ward round', author: 'paul', text, status: 'current', pendingUpload: true });
    expect(await t.call('chart:pending', { patientId: patient })).toEqual([
      {
        entryId: receipt.entryId,
        kind: 'note',
        recordedAt: expect.any(String),
        status: 'pending-upload',
        lastError: null,
        deliveredAt: null,
      },
    ]);
    const created = t.host.audit.find({ patient }).filter((e) => e.action === 'create');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ user: userId('paul'), resources: [`DocumentReference/${noteId}`] });

    expect(await t.call('sync:now', {})).toMatchObject({ outboxPending: 0, lastError: null });
    await t.call('sync:now', {});
    const onHub = await hubNote(noteId!);
    expect(onHub).toHaveLength(1);
    expect(plainText(onHub[0]!)).toBe(text);
    expect(onHub[0]).toMatchObject({
      status: 'current',
      subject: { reference: `Patient/${patient}` },
      author: [{ reference: `Practitioner/${userId('paul')}` }],
      type: { coding: [{ code: '11506-3' }] },
    });
    // The chart now shows the hub's copy: the same note, no longer waiting.
    const after = await notesOf(patient);
    expect(after.total).toBe(before.total + 1);
    expect(after.notes.filter((n) => n.text === text)).toEqual([expect.objectContaining({ pendingUpload: false, author: 'paul' })]);
    expect(await t.call('chart:pending', { patientId: patient })).toEqual([
      expect.objectContaining({ entryId: receipt.entryId, kind: 'note', status: 'delivered' }),
    ]);
  });

  it("files a nurse's note as a nursing note", async () => {
    await t.signIn('nina');
    const receipt = await t.call<{ resourceIds: string[] }>('chart:record-note', {
      patientId: patientId(1),
      note: { text: 'Settled overnight, no concerns.' },
    });
    await t.call('sync:now', {});
    const [onHub] = await hubNote(receipt.resourceIds[0]!);
    expect(onHub).toMatchObject({
      description: 'Nurse Note',
      author: [{ reference: `Practitioner/${userId('nina')}` }],
      type: { coding: [{ code: '34746-8' }] },
    });
  });

  it('refuses a note to every role the permission table does not let document notes, and an empty or over-long note, writing nothing', async () => {
    const patient = patientId(2);
    const outboxBefore = t.host.vault.outbox.count();
    const writesBefore = t.host.audit.find({ patient }).filter((e) => e.action === 'create').length;
    const notesBefore = (await notesOf(patient)).total;
    const refusedRoles = t.staff.filter((account) => !isPermitted(account.role, 'document:note'));
    expect(refusedRoles.map((a) => a.username).sort()).toEqual(['adam', 'carla']);
    for (const account of refusedRoles) {
      await t.signIn(account.username);
      const result = await t.transport.send('chart:record-note', { patientId: patient, note: { text: 'Not mine to write.' } });
      expect(result, account.username).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    await t.signIn('paul');
    for (const text of ['', '   \n ', 'x'.repeat(NOTE_MAX_CHARS + 1)]) {
      const result = await t.transport.send('chart:record-note', { patientId: patient, note: { text } });
      expect(result, `${text.length} characters`).toMatchObject({ ok: false, error: { code: 'REJECTED' } });
    }
    expect(t.host.vault.outbox.count()).toBe(outboxBefore);
    expect(t.host.audit.find({ patient }).filter((e) => e.action === 'create')).toHaveLength(writesBefore);
    expect((await notesOf(patient)).total).toBe(notesBefore);
  });

  it('leaves nothing documented when the audit write fails, and the retry reaches the hub once', async () => {
    await t.signIn('paul');
    const patient = patientId(1);
    const notesBefore = (await notesOf(patient)).total;
    const outboxBefore = t.host.vault.outbox.count();
    const record = t.host.audit.record.bind(t.host.audit);
    t.host.audit.record = () => {
      throw new AuditError('RECORD_FAILED', 'The audit trail could not be written (disk full).');
    };
    let refused: unknown;
    try {
      refused = await t.transport.send('chart:record-note', { patientId: patient, note: { text: 'Family meeting held.' } });
    } finally {
      t.host.audit.record = record;
    }
    expect(refused).toMatchObject({ ok: false, error: { code: 'RECORD_FAILED' } });
    expect(t.host.vault.outbox.count()).toBe(outboxBefore);
    expect((await notesOf(patient)).total).toBe(notesBefore);

    const receipt = await t.call<{ resourceIds: string[] }>('chart:record-note', {
      patientId: patient,
      note: { text: 'Family meeting held.' },
    });
    await t.call('sync:now', {});
    expect(await hubCopiesOf(t.hub.db, 'DocumentReference', CLIENT_ID_SYSTEM, receipt.resourceIds[0]!)).toBe(1);
    expect((await notesOf(patient)).total).toBe(notesBefore + 1);
  });
});
