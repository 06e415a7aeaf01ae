// The note a corrected vital sign carries ("Corrected from 79 /min to 82 /min. Reason: …"), written
// once by the workstation's amend (electron/documentation/amendment.ts), and the notes of a
// combination of two versions of one reading or dose (the conflicts screen's "Combine", rebuilt by the
// host again): a correction note always follows the value the combined version holds, and no one's
// note is dropped; a colleague's note the combination (or a reading recorded again as a new entry)
// carries is the combiner's, quoting whose it was (no one writes in a colleague's name). Runtime-neutral.
import {
  noteAuthorOf,
  noteOfSomeoneElse,
  type Annotation,
  type DocumentationRecorder,
  type MedicationAdministration,
  type NamedPerformer,
  type Observation,
  type Resource,
} from '../fhir/index.js';
import { sameJson, type JsonValue } from '../json/index.js';
import { VITAL_SIGN_CODES } from './news2-observations.js';

function codeOf(observation: Observation): string | undefined {
  // A combination on the conflicts screen is JSON the host has not validated yet: no code is no code.
  const code = observation.code as Observation['code'] | undefined;
  return code?.coding?.find((c) => c.system === undefined || c.system === 'http://loinc.org')?.code;
}

function componentValue(observation: Observation, code: string): number | undefined {
  return observation.component?.find((c) => c.code.coding?.some((coding) => coding.code === code))?.valueQuantity?.value;
}

/** A value with its unit ("82 /min"), or null without a value. */
export function quantityText(value: number | undefined, unit: string | undefined): string | null {
  return value === undefined ? null : `${value}${unit === undefined || unit === '' ? '' : ` ${unit}`}`;
}

/** The reading of an Observation in words ("82 /min", "120/80 mmHg"), or null when it holds none. */
export function observationValueText(observation: Observation): string | null {
  if (codeOf(observation) === VITAL_SIGN_CODES.bloodPressurePanel) {
    const systolic = componentValue(observation, VITAL_SIGN_CODES.systolic);
    const diastolic = componentValue(observation, VITAL_SIGN_CODES.diastolic);
    return systolic === undefined && diastolic === undefined ? null : `${systolic ?? '–'}/${diastolic ?? '–'} mmHg`;
  }
  if (observation.valueQuantity !== undefined) return quantityText(observation.valueQuantity.value, observation.valueQuantity.unit);
  return (
    observation.valueCodeableConcept?.text ?? observation.valueCodeableConcept?.coding?.[0]?.display ?? observation.valueString ?? null
  );
}

/** The text of a correction's note: what the reading was, what it is, and why ("Reason: …"). */
export function correctionNoteText(before: string | null, after: string | null, reason: string): string {
  return `Corrected from ${before ?? 'no value'} to ${after ?? 'no value'}. ${reason}`;
}

const CORRECTION_NOTE = /^Corrected from (.+?) to (.+?)\. (Reason: [\s\S]*)$/;

/** The parts of a correction's note, or null for any other note. */
export function parseCorrectionNote(text: string): { before: string; after: string; reason: string } | null {
  const match = CORRECTION_NOTE.exec(text);
  return match === null ? null : { before: match[1]!, after: match[2]!, reason: match[3]! };
}

/** Who combines two versions of a reading or a dose, and when (the combination's Provenance names them too). */
export interface Combiner {
  readonly author: DocumentationRecorder;
  readonly at: string;
  /**
   * What they did with the colleague's words, as the quoted note says after the combiner's name:
   * "combined with the hub's version by" unless told (a conflict's "Record again as a new entry"
   * says "recorded again as a new entry by").
   */
  readonly act?: string | undefined;
}

const nameOf = (named: NamedPerformer | DocumentationRecorder | null): string => named?.display ?? named?.reference ?? 'someone';

/**
 * A note a combination carries, in the name of whoever combines: as it is when it is theirs (or
 * names nobody); a colleague's (the nurse whose change met the hub's) becomes the combiner's note,
 * made when they combine, its text quoted with whose it was. The combiner never writes in a
 * colleague's name (shared/fhir performerNotRecorder, the hub's rule too), and the colleague's words
 * and authorship stay readable in the note.
 */
export function inCombinersName(note: Annotation, combiner: Combiner): Annotation {
  if (!noteOfSomeoneElse(note, combiner.author)) return note;
  const { reference, display } = combiner.author;
  return {
    authorReference: display === undefined ? { reference } : { reference, display },
    time: combiner.at,
    text: `${note.text} (Documented by ${nameOf(noteAuthorOf(note))}; ${combiner.act ?? "combined with the hub's version by"} ${nameOf(combiner.author)}.)`,
  };
}

/** The documentation whose notes name their authors (shared/fhir noteAuthorOf): a reading and a dose. */
function hasNotes(resource: Resource): resource is Observation | MedicationAdministration {
  return resource.resourceType === 'Observation' || resource.resourceType === 'MedicationAdministration';
}

/**
 * The notes of a combined dose (`local`, this workstation's version; `hub`, the hub's): every note of
 * the hub's version, then each of this workstation's the hub's lacks, a colleague's in the
 * combiner's name (inCombinersName). No note is dropped; a dose has no correction note to rebuild.
 */
export function combinedDoseNotes(local: MedicationAdministration, hub: MedicationAdministration | null, combiner: Combiner): Annotation[] {
  const hubNotes = hub?.note ?? [];
  const added = (local.note ?? []).filter(
    (note) => !hubNotes.some((held) => sameJson(held as unknown as JsonValue, note as unknown as JsonValue)),
  );
  return [...hubNotes, ...added.map((note) => inCombinersName(note, combiner))];
}

/**
 * `combined` with each note the version it changes (`before`) lacks in the combiner's name
 * (inCombinersName): what a combination queued by an earlier release, which carried a colleague's
 * note in her name, is sent as now.
 */
export function withNotesInCombinersName<T extends Resource>(before: Resource, combined: T, combiner: Combiner): T {
  if (!hasNotes(combined)) return combined;
  const held = (hasNotes(before) ? before.note : undefined) ?? [];
  const notes = (combined as { note?: Annotation[] }).note;
  if (notes === undefined) return combined;
  const note = notes.map((n) =>
    held.some((kept) => sameJson(kept as unknown as JsonValue, n as unknown as JsonValue)) ? n : inCombinersName(n, combiner),
  );
  return { ...combined, note };
}

/**
 * The notes of `combined`, a combination of `local` (this workstation's version) and `hub` (the
 * hub's) of one reading: every note of the hub's version, then each note of this workstation's that
 * the hub's lacks. A correction note of this workstation's is rebuilt to follow the combined value:
 * from the hub's value when the combination keeps the corrected value over a different one; said
 * not kept, with its reason, when the combination keeps another value. No note is dropped. Told who
 * combines, a note of this workstation's that names someone else is carried in the combiner's name
 * (inCombinersName).
 */
export function combinedNotes(local: Observation, hub: Observation | null, combined: Observation, combiner?: Combiner): Annotation[] {
  const carried = (note: Annotation): Annotation => (combiner === undefined ? note : inCombinersName(note, combiner));
  if (hub === null) return (local.note ?? []).map(carried);
  const hubNotes = hub.note ?? [];
  const value = observationValueText(combined);
  const hubValue = observationValueText(hub);
  const notes: Annotation[] = [...hubNotes];
  for (const note of local.note ?? []) {
    if (hubNotes.some((held) => sameJson(held as unknown as JsonValue, note as unknown as JsonValue))) continue;
    const correction = parseCorrectionNote(note.text);
    if (correction === null) notes.push(carried(note));
    else if (correction.after !== value)
      notes.push(
        carried({
          ...note,
          text: `A correction to ${correction.after} was documented at the same time and not kept: the value stays ${value ?? 'no value'}. ${correction.reason}`,
        }),
      );
    else if (hubValue !== value) notes.push(carried({ ...note, text: correctionNoteText(hubValue, value, correction.reason) }));
    else notes.push(carried(note));
  }
  return notes;
}
