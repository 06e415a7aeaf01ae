// A Patient's name as the privacy officer's trail shows and searches it: "Family, Given Given" of the
// official (else first) name, and the words of that name (lower case) the store indexes as tokens
// (param NAME_WORD_TOKEN_PARAM), so a search by name is one index lookup, never a read of every
// Patient.
import { nameWords, type Patient, type Resource } from '../../../shared/fhir/index.js';

/** The index token param of the words of a Patient's name. */
export const NAME_WORD_TOKEN_PARAM = '_name-word';

/** "Family, Given Given" of the official (else first) name; null when the Patient has none. */
export function patientNameOf(patient: Patient): string | null {
  const names = patient.name ?? [];
  const name = names.find((n) => n.use === 'official') ?? names[0];
  if (name === undefined) return null;
  const family = name.family ?? '';
  const given = (name.given ?? []).join(' ');
  const text = [family, given].filter((part) => part !== '').join(', ');
  return text === '' ? (name.text ?? null) : text;
}

export { nameWords };

/** The name-word index tokens of a resource (a Patient's; none for other types). */
export function nameWordTokensOf(resource: Resource): { param: string; system: string; value: string }[] {
  if (resource.resourceType !== 'Patient') return [];
  const name = patientNameOf(resource);
  return name === null ? [] : nameWords(name).map((value) => ({ param: NAME_WORD_TOKEN_PARAM, system: '', value }));
}
