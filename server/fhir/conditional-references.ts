// Conditional references (`"reference": "Practitioner?identifier=sys|123"`): each is resolved to the
// one resource it matches among those the caller may read, before anything is written, and rewritten
// to `Type/id`. No match, or more than one, refuses the write with 412 (a whole transaction Bundle,
// or the one create, update or batch entry), so the hub never stores a reference that points nowhere
// (or at a guess). A match outside the caller's scope counts as none: the answer does not tell
// whether it exists.
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

/** A resource to resolve, and how an error names where it is (e.g. `Bundle.entry[2]: `, or ''). */
interface Located {
  readonly resource: unknown;
  readonly where: string;
}

async function resolveIn(tx: SqlDatabase, access: Access, items: readonly Located[]): Promise<void> {
  const map = new Map<string, string>();
  for (const item of items) {
    const found = new Set<string>();
    collect(item.resource, found);
    for (const reference of found) {
      if (map.has(reference)) continue;
      const [, type, query] = CONDITIONAL.exec(reference)!;
      const where = `${item.where}${item.where ? 'the' : 'The'} conditional reference to ${type}`;
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
  if (map.size) for (const item of items) rewriteReferences(item.resource, map);
}

/** The conditional references of a transaction's entries' resources, each resolved; rewrites them in place. */
export function resolveConditionalReferences(tx: SqlDatabase, access: Access, entries: readonly BundleRequestEntry[]): Promise<void> {
  return resolveIn(
    tx,
    access,
    entries.map((entry) => ({ resource: entry.resource, where: `Bundle.entry[${entry.index}]: ` })),
  );
}

/** The conditional references of one resource to create or update (alone or a batch entry), resolved in place. */
export function resolveResourceReferences(tx: SqlDatabase, access: Access, resource: unknown, where = ''): Promise<void> {
  return resolveIn(tx, access, [{ resource, where }]);
}
