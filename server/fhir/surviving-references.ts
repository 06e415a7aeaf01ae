// Documentation that names a record the hub has since merged away lands on the record that stands for
// it now. The hub re-keys what it holds when the ADT feed merges two patients (A40) and when the
// upstream mirror matches the feed's patient or stay with the EHR's (docs/INTEGRATION.md, "Merged
// records"): the chart moves to the survivor, the merged-away Patient stays inactive with a
// `replaced-by` link, the feed's Encounter is deleted once the EHR's Encounter for the same stay
// carries its visit number. A workstation that documented while it could not reach the hub still
// names the old records when it uploads. Before such a write is judged and stored, each reference
// - to a Patient with a `replaced-by` link is followed to the Patient that has none;
// - to an Encounter the hub deleted is followed to the one live Encounter that carries an identifier
//   of its last version, for the same (surviving) patient: the stay it was merged into.
// Each chain is followed to its end, however many merges it holds (a record merged into one merged in
// turn…). A reference to anything else is left as written (a deleted Encounter with no such successor
// stays named: nothing is guessed), and so is one whose chain comes back to a record it passed: no
// record in a cycle stands for the others (shared/fhir merge-chain.ts, the rule the ADT feed follows too).
import { endOfChain, replacedBy, type Encounter, type Patient, type Resource } from '../../shared/fhir/index.js';
import type { SqlDatabase } from '../storage/index.js';
import { rewriteReferences } from './bundle-request.js';
import { contentText, currentByIdentifier, readCurrent, readVersion, type StoredResource } from './store/index.js';

const FOLLOWED = /^(Patient|Encounter)\/([A-Za-z0-9\-.]{1,64})$/;
const sameId = (id: string): string => id;

function parsedContent<T extends Resource>(stored: StoredResource | null): T | null {
  const text = stored === null || stored.deleted ? null : contentText(stored);
  return text === null ? null : (JSON.parse(text) as T);
}

function namedReferences(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) namedReferences(item, found);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, member] of Object.entries(value)) {
    if (key === 'reference' && typeof member === 'string') {
      if (FOLLOWED.test(member)) found.add(member);
    } else namedReferences(member, found);
  }
}

/** The Patient that stands for `patientId` now (itself when it was never merged away). */
export async function survivingPatient(tx: SqlDatabase, patientId: string): Promise<string> {
  const end = await endOfChain(patientId, sameId, async (id) => {
    const patient = parsedContent<Patient>(await readCurrent(tx, 'Patient', id));
    return patient === null ? null : replacedBy(patient);
  });
  return end ?? patientId;
}

/** The live Encounter a deleted one was merged into, or null when it has none (or not exactly one). */
async function mergedInto(tx: SqlDatabase, stored: StoredResource): Promise<string | null> {
  if (stored.version < 2) return null;
  const last = parsedContent<Encounter>(await readVersion(tx, 'Encounter', stored.id, stored.version - 1));
  const subject = /^Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(last?.subject?.reference ?? '');
  if (last === null || subject === null) return null;
  const patient = await survivingPatient(tx, subject[1]!);
  const candidates = new Set<string>();
  for (const identifier of last.identifier ?? []) {
    if (!identifier.system || !identifier.value) continue;
    for (const other of await currentByIdentifier(tx, 'Encounter', identifier.system, identifier.value, 3)) {
      if (other.id !== stored.id && other.patientId !== null && (await survivingPatient(tx, other.patientId)) === patient) {
        candidates.add(other.id);
      }
    }
  }
  return candidates.size === 1 ? [...candidates][0]! : null;
}

/** The Encounter that stands for `encounterId` now (itself unless the hub deleted it in a merge). */
async function survivingEncounter(tx: SqlDatabase, encounterId: string): Promise<string> {
  const end = await endOfChain(encounterId, sameId, async (id) => {
    const stored = await readCurrent(tx, 'Encounter', id);
    return stored === null || !stored.deleted ? null : mergedInto(tx, stored);
  });
  return end ?? encounterId;
}

/**
 * Points the resource's references to merged-away Patients and Encounters at their survivors, in
 * place; returns how many distinct references it changed.
 */
export async function followMergedRecords(tx: SqlDatabase, resource: Resource): Promise<number> {
  const named = new Set<string>();
  namedReferences(resource, named);
  const moved = new Map<string, string>();
  for (const reference of named) {
    const [, type, id] = FOLLOWED.exec(reference)!;
    const survivor = type === 'Patient' ? await survivingPatient(tx, id!) : await survivingEncounter(tx, id!);
    if (survivor !== id) moved.set(reference, `${type}/${survivor}`);
  }
  if (moved.size > 0) rewriteReferences(resource, moved);
  return moved.size;
}
