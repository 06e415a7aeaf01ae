// Who may write what. Every write of a request (one resource, or a whole transaction Bundle) is
// noted in a WriteJournal as it is applied, and judged together on the final state before the
// database transaction commits, so entry order never changes the answer; a refusal rolls all back.
//
// For a workstation (device token, with or without a user):
// - Patient, Encounter, Location and Practitioner are the hospital's ADT source's: refused (403).
// - Anything else is documentation, and each write needs the documentation action of the shared
//   table for that resource (an Observation of vital signs: document:vital-signs; a
//   MedicationAdministration; a DocumentReference note). Orders, problems, allergies, alerts and
//   lab results are written by no workstation.
// - Each write names who recorded it. A signed-in user records it themselves (their request is
//   attributed to them in the hub's log). A device uploading alone (the outbox, also hours after a downtime, when
//   the user is long signed out) sends a Provenance targeting the write whose author is
//   Practitioner/{userId}: the hub checks that account as it stood at Provenance.recorded (existed,
//   not disabled, held this device's ward, its role may document that resource), and keeps the
//   Provenance with the resource.
// - Documentation names its patient (else 422 INVALID_RESOURCE: a record of nobody would escape the
//   ward check); the patient must be on the device's ward now, or have left it within LATE_DOCUMENTATION_DAYS,
//   and then the write (new or changed) and the version it changes document the time the patient
//   was on that ward, up to when this device could have learned they left (ward-stay.ts): the ward a
//   patient left neither documents after it learned of the transfer nor changes what the new ward
//   documented (beyond the departure plus the grace it changes only what it created itself: the
//   records returned for store/late-uploads.ts to note).
// - A change to documentation keeps its patient (a record about the wrong patient is marked entered
//   in error and documented again on the right one), even between two patients of the ward; a
//   documentation id the EHR deleted (no request deletes: interactions-write.ts answers 405), re-created
//   by an update, keeps the patient of the version deleted.
// - The device token must hold system/*.write.
// - The marks of a conflict with the EHR are the hub's (judgeUpstreamMarks).
// - Then the records it names: each literal reference a write (a Provenance too) adds names a record
//   the hub holds, live or deleted, of the written resource's own patient when it belongs to one
//   (compared through merges; held-references.ts, else 422, one answer for missing and another's).
// - Then what the documentation holds (documentation-rules.ts): a change to a record names its
//   version (If-Match, else 428), a vital sign is one Wardline charts, in its unit and range, a
//   changed reading is marked corrected or entered in error, and every performer (author) a write
//   adds is its recorder, the signed-in user or the Provenance's author judged above (else 422).
import { accountStandingAt, usernamesOf, type Principal } from '../identity/index.js';
import type { SqlDatabase } from '../storage/index.js';
import {
  ADT_TYPES,
  LATE_DOCUMENTATION_DAYS,
  documentActionOf,
  isPermitted,
  type Action,
  type StaffRole,
} from '../../shared/access/index.js';
import {
  isUpstreamWithheld,
  patientIdOf,
  upstreamConflictOfVersion,
  type DocumentationRecorder,
  type Provenance,
  type Resource,
} from '../../shared/fhir/index.js';
import type { Access } from './access-policy.js';
import { FhirError } from './fhir-error.js';
import { contentText, isPatientOnWard, wardLocationRef, type RecordRef, type StoredResource } from './store/index.js';
import { lateWindowOf, type LateWindow } from './ward-stay.js';
import { survivingPatient } from './surviving-references.js';
import { judgeDocumentation, judgePerformers } from './documentation-rules.js';
import { HeldRecords, requireHeldReferences } from './held-references.js';

/** How far ahead of the hub's clock a recorded time may be (workstation clocks drift). */
const CLOCK_SKEW_MS = 5 * 60_000;
const OUT_OF_SCOPE_MESSAGE =
  "This patient is not on this workstation's ward (nor left it in the last 30 days, documented while they were there), so this documentation is not accepted from here.";
const AUTHOR_REFERENCE = /^Practitioner\/([A-Za-z0-9\-.]{1,64})$/;

export interface JournalEntry {
  readonly type: string;
  readonly id: string;
  /** What the resource is after the request; null for a delete. */
  readonly next: Resource | null;
  /** What the hub held before (null for a create). */
  readonly previous: StoredResource | null;
  /** A conditional create that found this resource: nothing written, the existing one returned. */
  readonly matched: boolean;
  /** The write named the version it changes (If-Match, compared before it was applied). */
  readonly ifMatch: boolean;
}

/** The writes of one request, in the order they were applied. */
export class WriteJournal {
  readonly entries: JournalEntry[] = [];

  note(entry: JournalEntry): void {
    this.entries.push(entry);
  }
}

function refused(
  code: 'FORBIDDEN' | 'ADT_SOURCE_ONLY' | 'RECORDER_REQUIRED' | 'RECORDER_NOT_VALID' | 'OUT_OF_SCOPE' | 'INSUFFICIENT_SCOPE',
  message: string,
): FhirError {
  return new FhirError(403, code, 'forbidden', `${message} Nothing was stored.`);
}

function parsed(stored: StoredResource | null): Resource | null {
  const text = stored === null || stored.deleted ? null : contentText(stored);
  return text === null ? null : (JSON.parse(text) as Resource);
}

interface Recorder {
  readonly userId: string;
  readonly role: StaffRole;
  /** The account's username (the display documentation may give the user); null when none is held. */
  readonly username: string | null;
}

/** The recorder as documentation names them (shared/fhir documentation-performers.ts). */
function asNamed(recorder: Recorder): DocumentationRecorder {
  return { reference: `Practitioner/${recorder.userId}`, ...(recorder.username === null ? {} : { display: recorder.username }) };
}

/** The author of a Provenance: its first agent naming a Practitioner (the one who made the change). */
function authorOf(provenance: Provenance): string | null {
  for (const agent of provenance.agent ?? []) {
    const match = AUTHOR_REFERENCE.exec(agent.who?.reference ?? '');
    if (match) return match[1]!;
  }
  return null;
}

function sameProvenance(a: Provenance, b: Provenance): boolean {
  return (
    JSON.stringify(a.target) === JSON.stringify(b.target) &&
    a.recorded === b.recorded &&
    JSON.stringify(a.agent) === JSON.stringify(b.agent)
  );
}

/**
 * Judges a request's writes as a whole; throws a 403 FhirError for the first one refused. Returns the
 * late documentation it creates (of a patient who left the device's ward, timed beyond the departure
 * plus the grace: ward-stay.ts), whose creator the caller notes (store/late-uploads.ts).
 */
export async function authorizeWrites(tx: SqlDatabase, access: Access, journal: WriteJournal, now: Date): Promise<RecordRef[]> {
  const principal = access.principal;
  const lateCreates: RecordRef[] = [];
  if (principal === null || journal.entries.length === 0) return lateCreates;
  if (!principal.device.scope.write) {
    throw refused('INSUFFICIENT_SCOPE', 'This token was not granted system/*.write; it may only read.');
  }
  const judge = new WriteJudge(tx, principal, now);
  const provenances = new Map<string, Provenance>();
  for (const entry of journal.entries) {
    if (entry.type === 'Provenance' && entry.next !== null) {
      for (const target of (entry.next as Provenance).target ?? []) {
        if (target.reference) provenances.set(target.reference, entry.next as Provenance);
      }
    }
  }
  const touched = new Set(journal.entries.map((entry) => `${entry.type}/${entry.id}`));
  // The set of writes, not their order, decides: judged in one fixed order, so the same entries
  // sent in another order meet the same rule first and get the same answer.
  const ordered = [...journal.entries].sort((a, b) => a.type.localeCompare(b.type) || a.id.localeCompare(b.id));
  const recorders = new Map<JournalEntry, Recorder>();
  for (const entry of ordered) {
    if (ADT_TYPES.includes(entry.type)) {
      throw refused(
        'ADT_SOURCE_ONLY',
        `Admissions, transfers, discharges and demographics come from the hospital's ADT source; a workstation cannot write ${entry.type}.`,
      );
    }
    if (entry.type === 'Provenance') {
      await judge.provenance(entry, touched);
      continue;
    }
    const before = parsed(entry.previous);
    judgeUpstreamMarks(entry.type, entry.next, before);
    const actions = [entry.next, before].filter((r): r is Resource => r !== null).map((resource) => documentActionOf(resource));
    if (actions.length === 0 || actions.some((action) => action === null)) {
      throw refused('FORBIDDEN', `No workstation role documents this ${entry.type}; it comes from the hospital's systems.`);
    }
    // Documentation is about a patient of the ward: one naming none would escape the ward check (and
    // no ward, not even its own, could read it back), so it is refused as malformed.
    if (entry.next !== null && patientIdOf(entry.next) === undefined) {
      throw new FhirError(
        422,
        'INVALID_RESOURCE',
        'required',
        `Documentation names the patient it is about (its subject, a Patient); this ${entry.type} names none. Nothing was stored.`,
      );
    }
    for (const patientId of new Set([entry.next ? patientIdOf(entry.next) : undefined, entry.previous?.patientId ?? undefined])) {
      if (patientId === undefined) continue;
      const late = await judge.requireWardPatient(patientId);
      // A patient who left the ward: only documentation of their time there, new or changed (ward-stay.ts).
      if (late !== null && !(await judge.isOfStay(late, entry.next, before, entry.previous))) {
        throw refused('OUT_OF_SCOPE', OUT_OF_SCOPE_MESSAGE);
      }
      if (late !== null && entry.previous === null && entry.next !== null && late.isBeyondStay(entry.next)) {
        lateCreates.push({ type: entry.type, id: entry.id });
      }
    }
    // The patient the hub held: a deletion's tombstone keeps the patient of the version it deleted,
    // so re-creating a deleted id is judged as a change of that documentation too (on the patient
    // that stands for it now, as `next`'s references were followed through merges).
    if (entry.next !== null && entry.previous !== null && !(await judge.isSamePatient(entry.next, before, entry.previous))) {
      throw refused(
        'FORBIDDEN',
        `A change to this ${entry.type} cannot move it to another patient: mark it entered in error and document it again for the right patient.`,
      );
    }
    const provenance = provenances.get(`${entry.type}/${entry.id}`);
    const recorder = await judge.recorderOf(provenance);
    recorders.set(entry, recorder);
    for (const action of actions) {
      if (!isPermitted(recorder.role, action as Action)) {
        throw refused('FORBIDDEN', `The role of the user who recorded this ${entry.type} does not allow ${action}.`);
      }
    }
  }
  // What the documentation holds is judged once who may write it is settled, so a refused write
  // never learns more than its 403: the records it names (held-references.ts), then its content.
  const held = new HeldRecords(tx);
  for (const entry of ordered) {
    const before = parsed(entry.previous);
    if (!entry.matched && entry.next !== null) await requireHeldReferences(held, entry.next, before);
    if (entry.type === 'Provenance') continue;
    judgeDocumentation(entry, before);
    const recorder = recorders.get(entry);
    if (recorder !== undefined) judgePerformers(entry, before, asNamed(recorder));
  }
  return lateCreates;
}

/**
 * The marks of a conflict with the EHR (docs/UPSTREAM.md) are the hub's: a workstation may keep the
 * hub's conflict mark on a version it corrects, and may mark a held conflict "withheld" (a user
 * settled it as "the EHR is right"), but never marks documentation itself, which would keep it out
 * of the EHR or show colleagues a conflict the EHR never raised.
 */
function judgeUpstreamMarks(type: string, next: Resource | null, before: Resource | null): void {
  if (next === null) return;
  const conflict = upstreamConflictOfVersion(next);
  const heldBefore = before === null ? null : upstreamConflictOfVersion(before);
  if (conflict !== null && conflict !== heldBefore) {
    throw refused('FORBIDDEN', `Only the hub marks documentation as in conflict with the EHR; this ${type} carries such a mark.`);
  }
  if (isUpstreamWithheld(next) && heldBefore === null && (before === null || !isUpstreamWithheld(before))) {
    throw refused('FORBIDDEN', `Only a conflict with the EHR that the hub holds can be kept out of the EHR; this ${type} has none.`);
  }
}

/** The checks of one request, each asked of the database once. */
class WriteJudge {
  readonly #patients = new Map<string, Promise<LateWindow | null | false>>();
  readonly #accounts = new Map<string, Promise<Recorder>>();

  constructor(
    private readonly tx: SqlDatabase,
    private readonly principal: Principal,
    private readonly now: Date,
  ) {}

  /** True when `next` names the patient of the version it replaces (live, or the tombstone of a deletion). */
  async isSamePatient(next: Resource, before: Resource | null, previous: StoredResource): Promise<boolean> {
    const nextPatient = patientIdOf(next) ?? null;
    if (before !== null) return nextPatient === (patientIdOf(before) ?? null);
    const held = previous.patientId === null ? null : await survivingPatient(this.tx, previous.patientId);
    return nextPatient === held;
  }

  /**
   * Null when the patient is on the device's ward now; when they left it within
   * LATE_DOCUMENTATION_DAYS, what this device may still send about them (ward-stay.ts); else refused.
   */
  async requireWardPatient(patientId: string): Promise<LateWindow | null> {
    let check = this.#patients.get(patientId);
    if (check === undefined) {
      check = this.#wardStanding(patientId);
      this.#patients.set(patientId, check);
    }
    const standing = await check;
    if (standing === false) throw refused('OUT_OF_SCOPE', OUT_OF_SCOPE_MESSAGE);
    return standing;
  }

  async #wardStanding(patientId: string): Promise<LateWindow | null | false> {
    if (await isPatientOnWard(this.tx, patientId, wardLocationRef(this.principal.device.ward))) return null;
    return (await lateWindowOf(this.tx, this.principal.device, patientId, this.now)) ?? false;
  }

  /** True when a write (`next`, over `before` held as `previous`) documents the stay of a patient who left (ward-stay.ts). */
  async isOfStay(late: LateWindow, next: Resource | null, before: Resource | null, previous: StoredResource | null): Promise<boolean> {
    if (next !== null && !late.documents(next)) return false;
    return before === null || previous === null || (await late.mayChange(this.tx, before, previous));
  }

  /** Who recorded a write: the signed-in user, or the author of its Provenance as their account stood then. */
  async recorderOf(provenance: Provenance | undefined): Promise<Recorder> {
    const user = this.principal.user;
    const author = provenance === undefined ? null : authorOf(provenance);
    if (user !== undefined) {
      if (provenance !== undefined && author !== user.userId) {
        throw refused('RECORDER_NOT_VALID', 'A signed-in user uploads only what they recorded themselves.');
      }
      if (!user.wards.includes(this.principal.device.ward)) {
        throw refused('RECORDER_NOT_VALID', "Your account is not assigned to this workstation's ward.");
      }
      return { userId: user.userId, role: user.role, username: user.username };
    }
    if (provenance === undefined || author === null) {
      throw refused(
        'RECORDER_REQUIRED',
        'Documentation sent by a workstation without a signed-in user must name who recorded it (a Provenance whose author is the user).',
      );
    }
    const recorded = Date.parse(provenance.recorded ?? '');
    if (!Number.isFinite(recorded) || recorded > this.now.getTime() + CLOCK_SKEW_MS) {
      throw refused('RECORDER_NOT_VALID', 'The Provenance of this documentation has no valid recorded time (or one in the future).');
    }
    if (recorded < this.now.getTime() - LATE_DOCUMENTATION_DAYS * 86_400_000) {
      throw refused('RECORDER_NOT_VALID', `Documentation recorded more than ${LATE_DOCUMENTATION_DAYS} days ago is not accepted.`);
    }
    const key = `${author}@${recorded}`;
    let standing = this.#accounts.get(key);
    if (standing === undefined) {
      standing = this.#standing(author, recorded);
      this.#accounts.set(key, standing);
    }
    return standing;
  }

  async #standing(userId: string, at: number): Promise<Recorder> {
    const account = await accountStandingAt(this.tx, userId, at);
    if (account === null || account.disabled || !account.wards.includes(this.principal.device.ward)) {
      throw refused(
        'RECORDER_NOT_VALID',
        "The user named as having recorded this documentation did not hold an active account on this workstation's ward at that time.",
      );
    }
    const username = (await usernamesOf(this.tx, [userId])).get(userId) ?? null;
    return { userId, role: account.role, username };
  }

  /** A Provenance is accepted with the documentation it covers, never on its own or over another. */
  async provenance(entry: JournalEntry, touched: ReadonlySet<string>): Promise<void> {
    const next = entry.next as Provenance | null;
    const before = parsed(entry.previous) as Provenance | null;
    if (next === null || (before !== null && !sameProvenance(before, next))) {
      throw refused('FORBIDDEN', 'A Provenance, once stored, is not changed or deleted from a workstation.');
    }
    const targets = (next.target ?? []).map((target) => target.reference ?? '');
    const documented = targets.filter((reference) => !reference.startsWith('Patient/'));
    if (documented.length === 0 || documented.some((reference) => !touched.has(reference))) {
      throw refused('FORBIDDEN', 'A Provenance is uploaded together with the documentation it describes.');
    }
    const patientId = patientIdOf(next);
    if (patientId !== undefined) await this.requireWardPatient(patientId);
    await this.recorderOf(next);
  }
}
