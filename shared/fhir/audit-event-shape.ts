// The members a workstation's AuditEvent has (electron/audit/audit-event-mapping.ts writes them):
// ids, codes, references by id and the hashed entry; never a name, a free-text person or anything
// FHIR allows beside them. The hub refuses an uploaded event with any other member, at any depth, so
// the trail it keeps holds no names (docs/SECURITY.md). The values themselves are checked by the
// AuditEvent schema (validateResource); this is only which members may be there at all.

/** A member that holds a primitive or a list of primitives. */
const VALUE = null;
type Members = { readonly [member: string]: Members | typeof VALUE };

const CODING: Members = { system: VALUE, code: VALUE, display: VALUE };
/** A reference by id (`Device/…`, `Patient/…`), by identifier (a user's or workstation's id), or a fixed label. */
const REFERENCE: Members = { reference: VALUE, identifier: { system: VALUE, value: VALUE }, display: VALUE };

const AUDIT_EVENT_MEMBERS: Members = {
  resourceType: VALUE,
  id: VALUE,
  meta: { profile: VALUE, versionId: VALUE, lastUpdated: VALUE },
  extension: { url: VALUE, extension: { url: VALUE, valueInteger: VALUE, valueString: VALUE, valueBase64Binary: VALUE } },
  type: CODING,
  subtype: CODING,
  action: VALUE,
  recorded: VALUE,
  outcome: VALUE,
  outcomeDesc: VALUE,
  purposeOfEvent: { coding: CODING },
  agent: { type: { coding: CODING }, who: REFERENCE, altId: VALUE, requestor: VALUE },
  source: { site: VALUE, observer: REFERENCE, type: CODING },
  entity: { what: REFERENCE, type: CODING, role: CODING, query: VALUE },
};

/**
 * The path of the first member of `event` outside the shape a workstation writes (e.g.
 * `AuditEvent.agent[0].name`), or null when every member is one it writes. Lists are walked element
 * by element; where a primitive belongs, an object (or a list of lists) is outside the shape. The
 * walk goes no deeper than the shape, however deep `event` nests.
 */
export function auditEventMemberOutsideShape(event: unknown): string | null {
  return outside(event, AUDIT_EVENT_MEMBERS, 'AuditEvent');
}

function outside(value: unknown, members: Members | typeof VALUE, path: string): string | null {
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const element = value[i];
      // FHIR has no list of lists: refused here, the walk never goes deeper than the shape.
      if (Array.isArray(element)) return `${path}[${i}]`;
      const found = outside(element, members, `${path}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  if (members === VALUE) return path;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i]!;
    if (!Object.hasOwn(members, key)) return `${path}.${printableMemberName(key)}`;
    const found = outside((value as Record<string, unknown>)[key], members[key]!, `${path}.${key}`);
    if (found !== null) return found;
  }
  return null;
}

/**
 * A member name as the refusal may show it: FHIR element names are short ASCII words; any other key
 * (which a sender could use to carry text such as a name into an error or a log) is shown as `?`.
 */
function printableMemberName(key: string): string {
  return /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(key) ? key : '?';
}
