// What a workstation's documentation must hold, judged on the final state of a request after the
// access policy has let it through (write-policy.ts), on every write path (POST, PUT, DELETE, batch
// and transaction entries all end in the same journal). The rules are the workstation's own, from
// shared/: a change to recorded documentation names the version it changes (If-Match, else 428);
// a vital-signs Observation holds one of the vital signs Wardline charts, in its UCUM unit, within
// its physiological range, with a value unless it is withdrawn (shared/vital-signs, else 422); a
// change of a record's clinical content carries the mark of a correction or a retraction
// (shared/fhir correction-marks.ts, else 422); a record withdrawn as entered in error is final: a
// change of its status or clinical content is refused (422 RETRACTED_RECORD; a note may still be
// added), and so is a version that would go to the EHR over the EHR's own withdrawal, held here as a
// conflict with the EHR (shared/fhir withdrawalUndoneBy); every "who did it" entry a write adds (Observation.performer, MedicationAdministration
// .performer.actor, DocumentReference.author; shared/fhir documentation-performers.ts) names the
// user who recorded the write, never a colleague (422 PERFORMER_NOT_RECORDER; a correction keeps the
// performer it found). Nothing of the record is echoed in the answer.
// Writes of the integration principals (ADT feed, the EHR's mirror, demo seeding) never reach this:
// the EHR's data is the EHR's, and the hub keeps its copy as the EHR holds it.
import { observationCategoryOf } from '../../shared/access/index.js';
import {
  performerNotRecorder,
  unmarkedCorrection,
  withdrawalUndoneBy,
  type DocumentationRecorder,
  type Resource,
} from '../../shared/fhir/index.js';
import { vitalObservationProblem, type VitalObservationLike } from '../../shared/vital-signs/index.js';
import { FhirError } from './fhir-error.js';
import type { StoredResource } from './store/index.js';

/** One write of a request as the write journal notes it (write-policy.ts). */
export interface DocumentationWrite {
  readonly type: string;
  readonly next: Resource | null;
  readonly previous: StoredResource | null;
  readonly matched: boolean;
  readonly ifMatch: boolean;
}

/** The documentation types a workstation writes (each with a documentation action in shared/access). */
const DOCUMENTATION_TYPES: readonly string[] = ['Observation', 'MedicationAdministration', 'DocumentReference'];

function unprocessable(
  code: 'IMPLAUSIBLE_VITAL_SIGN' | 'UNMARKED_CORRECTION' | 'RETRACTED_RECORD' | 'PERFORMER_NOT_RECORDER',
  message: string,
  expression: string,
): FhirError {
  return new FhirError(422, code, 'business-rule', `${message} Nothing was stored.`, expression);
}

/**
 * Judges one write of documentation by a workstation principal; throws a 428 or 422 FhirError.
 * `before` is the hub's live version the write changes (null for a create, or over a deletion).
 */
export function judgeDocumentation(entry: DocumentationWrite, before: Resource | null): void {
  if (entry.matched || !DOCUMENTATION_TYPES.includes(entry.type)) return;
  const changesRecord = entry.previous !== null && !entry.previous.deleted;
  if (changesRecord && !entry.ifMatch) {
    throw new FhirError(
      428,
      'PRECONDITION_REQUIRED',
      'conflict',
      `A change to recorded documentation (${entry.type}) must name the version it was made on with If-Match (the ETag the hub sent, e.g. W/"3"), so a colleague's newer version is never overwritten unseen. Nothing was stored.`,
      'If-Match',
    );
  }
  const next = entry.next;
  if (next === null) return;
  if (next.resourceType === 'Observation' && observationCategoryOf(next) === 'vital-signs') {
    const problem = vitalObservationProblem(next as VitalObservationLike);
    if (problem !== null) throw unprocessable('IMPLAUSIBLE_VITAL_SIGN', problem.message, 'Observation');
  }
  if (before !== null) {
    const unretracting = withdrawalUndoneBy(before, next);
    if (unretracting !== null) throw unprocessable('RETRACTED_RECORD', unretracting, `${entry.type}.status`);
    const unmarked = unmarkedCorrection(before, next);
    if (unmarked !== null) throw unprocessable('UNMARKED_CORRECTION', unmarked, `${entry.type}.status`);
  }
}

/**
 * Judges who a workstation's write of documentation names as having done it: each performer (author)
 * it adds to `before` is `recorder` (the signed-in user, or the author of the upload's Provenance as
 * the access policy accepted it). Throws a 422 FhirError that names nobody.
 */
export function judgePerformers(entry: DocumentationWrite, before: Resource | null, recorder: DocumentationRecorder): void {
  if (entry.matched || entry.next === null || !DOCUMENTATION_TYPES.includes(entry.type)) return;
  const problem = performerNotRecorder(before, entry.next, recorder);
  if (problem !== null) {
    const element = entry.type === 'DocumentReference' ? 'author' : 'performer';
    throw unprocessable('PERFORMER_NOT_RECORDER', problem, `${entry.type}.${element}`);
  }
}
