// The members a workstation's AuditEvent has (electron/audit/audit-event-mapping.ts writes them):
// ids, codes, references by id and the hashed entry; never a name, a free-text person or anything
// FHIR allows beside them. The hub refuses an uploaded event with any other member, at any depth, and
// holds the values that are not fixed by the AuditEvent schema to what the workstation writes
// (audit-event-codes.ts, the table the mapping writes from): every coding is a (system, code) pair of
// the table (a purpose of use one of the break-the-glass table), a coding's display is the one of its
// code, an agent's or the observer's display one of the fixed labels, an identifier's system one of
// the two Wardline systems and its value (and an agent's altId) an id, a reference `Type/id`, a
// profile one of the BALP profiles and the site the fixed one. So no member outside the hashed entry
// can carry a name (docs/SECURITY.md); `outcomeDesc` is held to the hashed entry by the hub
// (auditOutcomeDescriptionOf). The other values (id, action, recorded, outcome, the chain extension)
// are checked by the AuditEvent schema (validateResource) and the chain's own checks.
import {
  isAuditAgentLabel,
  isAuditCodeDisplay,
  isAuditCoding,
  isAuditIdentifierSystem,
  isAuditProfile,
  isAuditPurposeCoding,
  isAuditWrittenId,
  isAuditWrittenReference,
  AUDIT_SOURCE_SITE,
} from './audit-event-codes.js';

/** A member that holds a primitive or a list of primitives, checked elsewhere (the schema, the chain). */
const VALUE = null;
/** A value held to what the workstation writes there: each names its check (`fits`). */
type Check = 'code-display' | 'agent-label' | 'coding' | 'purpose' | 'identifier-system' | 'written-id' | 'reference' | 'profile' | 'site';
type Rule = typeof VALUE | Check;
type Members = { readonly [member: string]: Members | Rule };

/** A coding of the table: its system and code a pair of AUDIT_CODES, its display the one of its code. */
const CODING: Members = { system: 'coding', code: 'coding', display: 'code-display' };
/** A purpose of use: v3-ActReason, a code of the break-the-glass table, no display. */
const PURPOSE_CODING: Members = { system: 'purpose', code: 'purpose' };
/** A reference by id (`Device/…`, `Patient/…`), by identifier (a user's or workstation's id), or a fixed label. */
const REFERENCE: Members = {
  reference: 'reference',
  identifier: { system: 'identifier-system', value: 'written-id' },
  display: 'agent-label',
};

const AUDIT_EVENT_MEMBERS: Members = {
  resourceType: VALUE,
  id: VALUE,
  meta: { profile: 'profile', versionId: VALUE, lastUpdated: VALUE },
  extension: { url: VALUE, extension: { url: VALUE, valueInteger: VALUE, valueString: VALUE, valueBase64Binary: VALUE } },
  type: CODING,
  subtype: CODING,
  action: VALUE,
  recorded: VALUE,
  outcome: VALUE,
  outcomeDesc: VALUE,
  purposeOfEvent: { coding: PURPOSE_CODING },
  agent: { type: { coding: CODING }, who: REFERENCE, altId: 'written-id', requestor: VALUE },
  source: { site: 'site', observer: REFERENCE, type: CODING },
  entity: { what: REFERENCE, type: CODING, role: CODING, query: VALUE },
};

/**
 * Where an event leaves the shape: a member a workstation never writes, a display it never writes, or
 * another value it never writes there (a code not of the table, a text where an id belongs, another site).
 */
export interface AuditEventShapeBreach {
  /** E.g. `AuditEvent.agent[0].name`, `AuditEvent.type.display`, `AuditEvent.source.site`. */
  readonly path: string;
  readonly kind: 'member' | 'display' | 'value';
}

/**
 * The first place where `event` leaves the shape a workstation writes, or null when it has only
 * members it writes, with their displays. Lists are walked element by element; where a primitive
 * belongs, an object (or a list of lists) is outside the shape. The walk goes no deeper than the
 * shape, however deep `event` nests.
 */
export function auditEventOutsideShape(event: unknown): AuditEventShapeBreach | null {
  const found = outside(event, AUDIT_EVENT_MEMBERS);
  return found === null ? null : { path: `AuditEvent${found.steps.reverse().join('')}`, kind: found.kind };
}

/**
 * Where the walk left the shape: the steps from there back up (`.key`, `[i]`), added as the walk
 * returns, so no path is built for the members that fit (most of the check's cost when it was).
 */
interface Breach {
  readonly steps: string[];
  readonly kind: AuditEventShapeBreach['kind'];
}

function outside(value: unknown, members: Members | Rule): Breach | null {
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const element = value[i];
      // FHIR has no list of lists: refused here, the walk never goes deeper than the shape.
      if (Array.isArray(element)) return { steps: [`[${i}]`], kind: 'member' };
      const found = outside(element, members);
      if (found !== null) {
        found.steps.push(`[${i}]`);
        return found;
      }
    }
    return null;
  }
  if (members === VALUE || typeof members === 'string') return { steps: [], kind: 'member' };
  // for…in: a parsed JSON object has own members only (`__proto__` included), and no list is built.
  for (const key in value) {
    if (!Object.hasOwn(members, key)) return { steps: [`.${printableMemberName(key)}`], kind: 'member' };
    const member = (value as Record<string, unknown>)[key];
    const rule = members[key]!;
    if (typeof rule === 'string') {
      if (!fits(rule, value, member)) {
        return { steps: [`.${key}`], kind: rule === 'code-display' || rule === 'agent-label' ? 'display' : 'value' };
      }
      continue;
    }
    const found = outside(member, rule);
    if (found !== null) {
      found.steps.push(`.${key}`);
      return found;
    }
  }
  return null;
}

/** Whether `member` of `parent` is what the workstation writes there, by `check`. */
function fits(check: Check, parent: object, member: unknown): boolean {
  switch (check) {
    case 'code-display':
      return isAuditCodeDisplay(parent, member);
    case 'agent-label':
      return isAuditAgentLabel(member);
    case 'coding':
      return isAuditCoding(parent);
    case 'purpose':
      return isAuditPurposeCoding(parent);
    case 'identifier-system':
      return isAuditIdentifierSystem(member);
    case 'written-id':
      return isAuditWrittenId(member);
    case 'reference':
      return isAuditWrittenReference(member);
    case 'profile':
      return Array.isArray(member) && member.every(isAuditProfile);
    case 'site':
      return member === AUDIT_SOURCE_SITE;
  }
}

/**
 * A member name as the refusal may show it: FHIR element names are short ASCII words; any other key
 * (which a sender could use to carry text such as a name into an error or a log) is shown as `?`.
 */
function printableMemberName(key: string): string {
  return /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(key) ? key : '?';
}
