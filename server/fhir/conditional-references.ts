// Conditional references in a transaction Bundle (`"reference": "Practitioner?identifier=sys|123"`):
// each is resolved to the one resource it matches among those the caller may read, before any entry
// is written, and rewritten to `Type/id`. No match, or more than one, refuses the whole transaction
// with 412, so the hub never stores a reference that points nowhere (or at a guess). A match outside
// the caller's scope counts as none: the answer does not tell whether it exists.
import type { SqlDatabase } from '../storage/index.js';
import type { Access } from './access-policy.js';
import type { BundleRequestEntry } from './bundle-request.js';
import { rewriteReferences } from './bundle-request.js';
import { FhirError } from './fhir-error.js';
import { parseSearch } from './search-parameters.js';
import { searchResources } from './store/index.js';

const CONDITIONAL = /^([A-Z][A-Za-z]+)\?(.+)$/;

function collect(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, found);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'reference' && typeof member === 'string' && CONDITIONAL.test(member)) found.add(member);
    else collect(member, found);
  }
}

/** The conditional references of the entries' resources, each resolved; rewrites them in place. */
export async function resolveConditionalReferences(tx: SqlDatabase, access: Access, entries: readonly BundleRequestEntry[]): Promise<void> {
  const map = new Map<string, string>();
  for (const entry of entries) {
    const found = new Set<string>();
    collect(entry.resource, found);
    for (const reference of found) {
      if (map.has(reference)) continue;
      const [, type, query] = CONDITIONAL.exec(reference)!;
      const where = `Bundle.entry[${entry.index}]: the conditional reference to ${type}`;
      let parsed;
      try {
        parsed = parseSearch(type!, new URLSearchParams(query));
      } catch (error) {
        if (error instanceof FhirError) throw new FhirError(400, 'INVALID_SEARCH', 'invalid', `${where}: ${error.message}`);
        throw error;
      }
      if (parsed.filters.length === 0) {
        throw new FhirError(
          400,
          'INVALID_SEARCH',
          'invalid',
          `${where} needs at least one search criterion, e.g. identifier=system|value.`,
        );
      }
      const page = await searchResources(tx, { type: type!, filters: parsed.filters, order: 'id', count: 2, scope: access.scope });
      if (page.rows.length === 0) {
        throw new FhirError(412, 'CONDITIONAL_REFERENCE_NO_MATCH', 'not-found', `${where} matches nothing on the hub; nothing was stored.`);
      }
      if (page.rows.length > 1) {
        throw new FhirError(412, 'MULTIPLE_MATCHES', 'duplicate', `${where} matches more than one resource; nothing was stored.`);
      }
      map.set(reference, `${type}/${page.rows[0]!.id}`);
    }
  }
  if (map.size) for (const entry of entries) rewriteReferences(entry.resource, map);
}
