// The members a workstation's AuditEvent has (electron/audit/audit-event-mapping.ts writes them):
// ids, codes, references by id and the hashed entry; never a name, a free-text person or anything
// FHIR allows beside them. The hub refuses an uploaded event with any other member, at any depth, so
// the trail it keeps holds no names (docs/SECURITY.md). Its displays are the only text meant for a
// reader, so they are held to what the workstation writes (audit-event-codes.ts): a coding's display
// is the one that belongs to its code, an agent's or the observer's is one of the fixed labels. The
// other values are checked by the AuditEvent schema (validateResource); this is which members may be
// there at all, and which displays.
import { isAuditAgentLabel, isAuditCodeDisplay } from './audit-event-codes.js';

/** A member that holds a primitive or a list of primitives. */
const VALUE = null;
/** A coding's display: only the one that belongs to its system and code. */
const CODE_DISPLAY = 'code-display';
/** A reference's display: only one of the fixed labels. */
const AGENT_LABEL = 'agent-label';
type Rule = typeof VALUE | typeof CODE_DISPLAY | typeof AGENT_LABEL;
type Members = { readonly [member: string]: Members | Rule };

const CODING: Members = { system: VALUE, code: VALUE, display: CODE_DISPLAY };
/** A reference by id (`Device/…`, `Patient/…`), by identifier (a user's or workstation's id), or a fixed label. */
const REFERENCE: Members = { reference: VALUE, identifier: { system: VALUE, value: VALUE }, display: AGENT_LABEL };

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

/** Where an event leaves the shape: a member a workstation never writes, or a display it never writes. */
export interface AuditEventShapeBreach {
  /** E.g. `AuditEvent.agent[0].name`, `AuditEvent.type.display`. */
  readonly path: string;
  readonly kind: 'member' | 'display';
}

/**
 * The first place where `event` leaves the shape a workstation writes, or null when it has only
 * members it writes, with their displays. Lists are walked element by element; where a primitive
 * belongs, an object (or a list of lists) is outside the shape. The walk goes no deeper than the
 * shape, however deep `event` nests.
 */
export function auditEventOutsideShape(event: unknown): AuditEventShapeBreach | null {
  return outside(event, AUDIT_EVENT_MEMBERS, 'AuditEvent');
}

function outside(value: unknown, members: Members | Rule, path: string): AuditEventShapeBreach | null {
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const element = value[i];
      // FHIR has no list of lists: refused here, the walk never goes deeper than the shape.
      if (Array.isArray(element)) return { path: `${path}[${i}]`, kind: 'member' };
      const found = outside(element, members, `${path}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  if (members === VALUE || typeof members === 'string') return { path, kind: 'member' };
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i]!;
    if (!Object.hasOwn(members, key)) return { path: `${path}.${printableMemberName(key)}`, kind: 'member' };
    const member = (value as Record<string, unknown>)[key];
    const rule = members[key]!;
    if (rule === CODE_DISPLAY || rule === AGENT_LABEL) {
      const fits = rule === CODE_DISPLAY ? isAuditCodeDisplay(value, member) : isAuditAgentLabel(member);
      if (!fits) return { path: `${path}.${key}`, kind: 'display' };
      continue;
    }
    const found = outside(member, rule, `${path}.${key}`);
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
