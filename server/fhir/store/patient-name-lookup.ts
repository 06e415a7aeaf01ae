// The Patients whose indexed name words (patient-name.ts) start with every word of a search: one
// range lookup on the token index per word, never a read of every Patient.
import type { SqlDatabase } from '../../storage/index.js';
import { NAME_WORD_TOKEN_PARAM, nameWords } from './patient-name.js';

/** Above every character a name word holds: the end of a prefix range. */
const PREFIX_END = '\u{10FFFF}';

/** Ids of the Patients with, for each word of `query`, a name word starting with it; none for an empty query. */
export async function patientIdsByNameWords(db: SqlDatabase, query: string): Promise<string[]> {
  const words = nameWords(query);
  if (words.length === 0) return [];
  let ids: Set<string> | null = null as Set<string> | null;
  for (const word of words) {
    const rows = await db.query<{ res_id: string }>(
      `SELECT DISTINCT res_id FROM fhir_tokens WHERE param = $1 AND value >= $2 AND value < $3 AND res_type = 'Patient'`,
      [NAME_WORD_TOKEN_PARAM, word, `${word}${PREFIX_END}`],
    );
    const found = new Set(rows.map((row) => row.res_id));
    ids = ids === null ? found : new Set([...ids].filter((id) => found.has(id)));
    if (ids.size === 0) break;
  }
  return [...(ids ?? [])].sort();
}
