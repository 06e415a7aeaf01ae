// Who a cached patient is, for the privacy officer's audit view: the name ("Family, Given") and MRN
// of the Patient the vault holds now, looked up when the view is read (the audit trail stores ids
// only), and the held patients an MRN or the words of a name designate. A patient no longer held
// (purged after leaving the ward) is simply absent.
import { nameHasEveryWord } from '../../shared/fhir/index.js';
import { patientHeader, type Json } from './chart-format.js';
import type { Db } from './sqlcipher-connection.js';

export interface PatientIdentity {
  readonly name: string;
  readonly mrn: string | null;
}

export interface PatientDirectory {
  /** The identities of those of `patientIds` the vault holds (absent ids: not held here). */
  identities(patientIds: readonly string[]): Map<string, PatientIdentity>;
  /** The ids of held patients whose MRN is `text` exactly, or whose name has every word of `text`. */
  matching(text: string): string[];
}

export function createPatientDirectory(db: Db): PatientDirectory {
  const byId = db.prepare<[string], string>("SELECT json FROM resources WHERE type = 'Patient' AND id = ?").pluck();
  const all = db.prepare<[], string>("SELECT json FROM resources WHERE type = 'Patient'").pluck();
  const identityOf = (json: string): { id: string; identity: PatientIdentity } => {
    const header = patientHeader(JSON.parse(json) as Json);
    return { id: header.id, identity: { name: header.name, mrn: header.mrn } };
  };
  return {
    identities(patientIds) {
      const found = new Map<string, PatientIdentity>();
      for (const id of new Set(patientIds)) {
        const json = byId.get(id);
        if (json !== undefined) found.set(id, identityOf(json).identity);
      }
      return found;
    },
    matching(text) {
      const wanted = text.trim();
      if (wanted === '') return [];
      const ids: string[] = [];
      for (const json of all.iterate()) {
        const { id, identity } = identityOf(json);
        if (identity.mrn === wanted || nameHasEveryWord(identity.name, wanted)) ids.push(id);
      }
      return ids;
    },
  };
}
