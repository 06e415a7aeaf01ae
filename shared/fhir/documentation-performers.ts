// Who a record of documentation says did it: Observation.performer, MedicationAdministration
// .performer[].actor and DocumentReference.author, each a reference (and the name the screens show,
// its display), and who wrote each note of a reading or a dose (note.authorReference, authorString).
// Documentation is written in the name of the user who records it and nobody else's: every such
// entry a write adds (relative to the version it changes; all of them for a new record) names that
// user, `Practitioner/{userId}`, with no display or the user's own username. A correction by a
// colleague keeps the original performer (the corrector is named by the change's Provenance and
// its note), so entries the version changed already held are not judged. The workstation checks it
// before anything reaches its outbox (electron/documentation); the hub judges every workstation
// write by it again (server/fhir/write-policy.ts, 422 PERFORMER_NOT_RECORDER).
import type { Resource } from '@medplum/fhirtypes';
import { WARDLINE_USER_SYSTEM } from './audit-event-codes.js';

/**
 * The policy the Provenance of a conflict's combination names (electron/documentation): the write
 * of the user who combined this workstation's version of a record with the hub's, its author.
 */
export const CONFLICT_COMBINATION_POLICY_URI = 'urn:wardline:policy:conflict-combination';

/**
 * The policy the Provenance of a conflict's "Record again as a new entry" names (electron/documentation
 * recordAgain): readings recorded again after their record was marked entered in error, and, for a
 * conflict with the EHR, the settlement that accepts its withdrawal, in one entry (electron/sync
 * outbox-push.ts goes on with the readings alone when the hub already accepted the withdrawal).
 */
export const RECORDED_AGAIN_POLICY_URI = 'urn:wardline:policy:recorded-again';

/** One "who did it" entry of a record: its reference and its display, as written. */
export interface NamedPerformer {
  readonly reference: string | null;
  readonly display: string | null;
}

/** The user who records a write, as documentation names them (`Practitioner/{userId}`, the username). */
export interface DocumentationRecorder {
  readonly reference: string;
  readonly display?: string | undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A Wardline user named by their user identifier (the logical form the hub sends the EHR, which an
 * EHR's later version of the record carries back) is the same `Practitioner/{userId}`.
 */
function userReference(value: Record<string, unknown>): string | null {
  if (typeof value.reference === 'string') return value.reference;
  const identifier = value.identifier;
  if (isObject(identifier) && identifier.system === WARDLINE_USER_SYSTEM && typeof identifier.value === 'string') {
    return `Practitioner/${identifier.value}`;
  }
  return null;
}

function named(value: unknown): NamedPerformer {
  const reference = isObject(value) ? userReference(value) : null;
  const display = isObject(value) && typeof value.display === 'string' ? value.display : null;
  return { reference, display };
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The "who did it" entries of a documentation record (none for other types). */
export function performersOf(resource: Resource): NamedPerformer[] {
  const fields = resource as unknown as Record<string, unknown>;
  switch (resource.resourceType) {
    case 'Observation':
      return list(fields.performer).map(named);
    case 'MedicationAdministration':
      return list(fields.performer).map((performer) => named(isObject(performer) ? performer.actor : undefined));
    case 'DocumentReference':
      return list(fields.author).map(named);
    default:
      return [];
  }
}

/**
 * Whom the notes of a reading or a dose name as their author: an `authorReference` (its reference and
 * display) or an `authorString` (a display with no reference). A note naming nobody is the record's
 * own (the performer's, or the one who recorded the change, named by its Provenance).
 */
function noteAuthorsOf(resource: Resource): NamedPerformer[] {
  if (resource.resourceType !== 'Observation' && resource.resourceType !== 'MedicationAdministration') return [];
  return list((resource as unknown as Record<string, unknown>).note).flatMap((note) => {
    const author = noteAuthorOf(note);
    return author === null ? [] : [author];
  });
}

/**
 * Whom one note of a reading or a dose names as its author (its `authorReference`, or its
 * `authorString` as a display with no reference); null for a note naming nobody.
 */
export function noteAuthorOf(note: unknown): NamedPerformer | null {
  if (!isObject(note)) return null;
  if (note.authorReference !== undefined) return named(note.authorReference);
  if (note.authorString !== undefined)
    return { reference: null, display: typeof note.authorString === 'string' ? note.authorString : null };
  return null;
}

/**
 * True when a note names as its author someone other than `recorder` (the rule below would refuse it
 * as an addition): a combination carries such a note of a colleague's in the combiner's own name,
 * quoting whose it was (shared/vital-signs combinedNotes).
 */
export function noteOfSomeoneElse(note: unknown, recorder: DocumentationRecorder): boolean {
  const author = noteAuthorOf(note);
  return author !== null && !namesRecorder(author, recorder);
}

const keyOf = (performer: NamedPerformer): string => JSON.stringify([performer.reference, performer.display]);

function namesRecorder(performer: NamedPerformer, recorder: DocumentationRecorder): boolean {
  return performer.reference === recorder.reference && (performer.display === null || performer.display === (recorder.display ?? null));
}

/**
 * Why `next` may not be written by `recorder`, or null: each "who did it" entry it adds to `before`
 * (the version it changes, null for a new record) must name the recorder. The message names nobody.
 */
export function performerNotRecorder(before: Resource | null, next: Resource, recorder: DocumentationRecorder): string | null {
  const held = new Set((before === null ? [] : performersOf(before)).map(keyOf));
  for (const performer of performersOf(next)) {
    if (held.has(keyOf(performer)) || namesRecorder(performer, recorder)) continue;
    return `Documentation names as who did it (${next.resourceType === 'DocumentReference' ? 'author' : 'performer'}) only the user who records it, under their own account and username; this ${next.resourceType} names someone else. A correction keeps the original performer: the one who corrects is named by the change itself.`;
  }
  // A note added by this write is the recorder's: one in a colleague's name would put words (a reason
  // for a correction, a retraction) in their mouth. Notes the changed version held stay as they were.
  const heldNotes = new Set((before === null ? [] : noteAuthorsOf(before)).map(keyOf));
  for (const author of noteAuthorsOf(next)) {
    if (heldNotes.has(keyOf(author)) || namesRecorder(author, recorder)) continue;
    return `A note added to documentation names as its author only the user who records it, under their own account and username; a note of this ${next.resourceType} names someone else.`;
  }
  return null;
}
