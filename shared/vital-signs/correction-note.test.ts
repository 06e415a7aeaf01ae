// A combination's notes in the combiner's name: a colleague's note of this workstation's version is
// carried as the combiner's, quoting whose it was, so the note-author rule (shared/fhir
// performerNotRecorder, the hub's too) takes it from the combiner and still refuses it in the
// colleague's name; the combiner's own notes and the hub's stay as they are. The same for a dose, and
// for a reading recorded again as a new entry (its quote says so).
import { describe, expect, it } from 'vitest';
import { performerNotRecorder, type MedicationAdministration, type Observation } from '../fhir/index.js';
import { combinedDoseNotes, combinedNotes, inCombinersName, withNotesInCombinersName } from './correction-note.js';
import { VITAL_SIGN_CODES } from './news2-observations.js';

const nina = { reference: 'Practitioner/nina-id', display: 'nina' };
const cora = { reference: 'Practitioner/cora-id', display: 'cora' };
const at = '2026-12-08T01:00:00Z';

const reading = (value: number, note: Observation['note']): Observation => ({
  resourceType: 'Observation',
  id: 'o1',
  status: 'corrected',
  code: { coding: [{ system: 'http://loinc.org', code: VITAL_SIGN_CODES.heartRate }] },
  subject: { reference: 'Patient/p1' },
  effectiveDateTime: '2026-12-07T08:00:00Z',
  performer: [nina],
  valueQuantity: { value, unit: '/min' },
  ...(note === undefined ? {} : { note }),
});

const ninasCorrection = {
  authorReference: nina,
  time: '2026-12-07T09:00:00Z',
  text: 'Corrected from 80 /min to 82 /min. Reason: Wrong value typed.',
};
const local = reading(82, [ninasCorrection]);
const hub = reading(81, [{ text: 'Rechecked at the monitor' }]);

describe('combinedNotes, told who combines', () => {
  it("carries a colleague's correction note as the combiner's, quoting whose it was, which the rule takes", () => {
    const combined = reading(82, combinedNotes(local, hub, reading(82, undefined), { author: cora, at }));
    expect(combined.note).toEqual([
      { text: 'Rechecked at the monitor' },
      {
        authorReference: cora,
        time: at,
        text: "Corrected from 81 /min to 82 /min. Reason: Wrong value typed. (Documented by nina; combined with the hub's version by cora.)",
      },
    ]);
    expect(performerNotRecorder(hub, combined, cora)).toBeNull();
    // Without the combiner, the note stays nina's: the rule refuses it from cora, takes it from nina.
    const unattributed = reading(82, combinedNotes(local, hub, reading(82, undefined)));
    expect(performerNotRecorder(hub, unattributed, cora)).toMatch(/note/);
    expect(performerNotRecorder(hub, unattributed, nina)).toBeNull();
  });

  it("keeps the combiner's own note as it is", () => {
    const notes = combinedNotes(local, hub, reading(82, undefined), { author: nina, at });
    expect(notes.at(-1)).toEqual({ ...ninasCorrection, text: 'Corrected from 81 /min to 82 /min. Reason: Wrong value typed.' });
  });
});

describe('withNotesInCombinersName', () => {
  it("carries only the notes the hub's version lacks, and a second time changes nothing", () => {
    const queued = reading(82, [{ text: 'Rechecked at the monitor' }, ninasCorrection]);
    const carried = withNotesInCombinersName(hub, queued, { author: cora, at });
    expect(carried.note?.[0]).toEqual({ text: 'Rechecked at the monitor' });
    expect(carried.note?.[1]).toMatchObject({ authorReference: cora, text: expect.stringContaining('(Documented by nina;') });
    expect(withNotesInCombinersName(hub, carried, { author: cora, at })).toEqual(carried);
  });
});

describe('a dose combined, and a note recorded again', () => {
  const dose = (status: MedicationAdministration['status'], note: MedicationAdministration['note']): MedicationAdministration => ({
    resourceType: 'MedicationAdministration',
    id: 'm1',
    status,
    medicationCodeableConcept: { text: 'Paracetamol 1 g' },
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: '2026-12-07T08:00:00Z',
    performer: [{ actor: nina }],
    ...(note === undefined ? {} : { note }),
  });
  const retraction = { authorReference: nina, time: '2026-12-07T09:00:00Z', text: 'Entered in error. Charted twice.' };

  it("keeps the hub's notes and carries a colleague's retraction note in the combiner's name, which the rule takes", () => {
    const hubDose = dose('completed', [{ text: 'Checked by pharmacy' }]);
    const note = combinedDoseNotes(dose('entered-in-error', [retraction]), hubDose, { author: cora, at });
    expect(note).toEqual([
      { text: 'Checked by pharmacy' },
      {
        authorReference: cora,
        time: at,
        text: "Entered in error. Charted twice. (Documented by nina; combined with the hub's version by cora.)",
      },
    ]);
    expect(performerNotRecorder(hubDose, dose('entered-in-error', note), cora)).toBeNull();
    expect(
      withNotesInCombinersName(hubDose, dose('entered-in-error', [{ text: 'Checked by pharmacy' }, retraction]), { author: cora, at }).note,
    ).toEqual(note);
  });

  it('says what was done with the words when told', () => {
    expect(inCombinersName(ninasCorrection, { author: cora, at, act: 'recorded again as a new entry by' }).text).toBe(
      'Corrected from 80 /min to 82 /min. Reason: Wrong value typed. (Documented by nina; recorded again as a new entry by cora.)',
    );
  });
});
