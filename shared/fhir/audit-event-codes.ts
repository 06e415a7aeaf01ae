// The codes a workstation's AuditEvent carries and the display that belongs to each (DICOM event
// types and roles, the FHIR R4 audit vocabularies, Wardline's own subtypes for events no standard
// code names), and the fixed labels it gives an agent or the observer. One table for both sides: the
// workstation's mapping (electron/audit/audit-event-mapping.ts) writes from it, and the hub refuses an
// uploaded event with any other coding or display (audit-event-shape.ts), so neither can carry a name.
// The other values a workstation writes are fixed here too: the identifier systems, the BALP profiles,
// the source site, the pattern of the ids it writes and where `outcomeDesc` comes from. Which action
// maps to which code is in docs/AUDIT.md.
import type { Coding } from '@medplum/fhirtypes';
import { BTG_REASONS, PURPOSE_OF_USE_SYSTEM } from '../access/index.js';

export const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
export const AUDIT_EVENT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
export const RESTFUL_INTERACTION = 'http://hl7.org/fhir/restful-interaction';
export const AUDIT_ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
export const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
export const PARTICIPATION_TYPE = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
export const EXTRA_SECURITY_ROLE_TYPE = 'http://terminology.hl7.org/CodeSystem/extra-security-role-type';
export const SECURITY_SOURCE_TYPE = 'http://terminology.hl7.org/CodeSystem/security-source-type';
/** Wardline's subtypes for events without a standard code. */
export const WARDLINE_AUDIT_SUBTYPE = 'https://wardline.example/fhir/CodeSystem/audit-event-subtype';

const dcm = (code: string, display: string): Coding => ({ system: DCM, code, display });
const wardline = (code: string, display: string): Coding => ({ system: WARDLINE_AUDIT_SUBTYPE, code, display });
const rest = (code: string): Coding => ({ system: RESTFUL_INTERACTION, code });

export const AUDIT_CODES = {
  restType: { system: AUDIT_EVENT_TYPE, code: 'rest', display: 'Restful Operation' } as Coding,
  read: rest('read'),
  searchType: rest('search-type'),
  create: rest('create'),
  update: rest('update'),
  applicationActivity: dcm('110100', 'Application Activity'),
  auditLogUsed: dcm('110101', 'Audit Log Used'),
  export: dcm('110106', 'Export'),
  securityAlert: dcm('110113', 'Security Alert'),
  userAuthentication: dcm('110114', 'User Authentication'),
  login: dcm('110122', 'Login'),
  logout: dcm('110123', 'Logout'),
  nodeAuthentication: dcm('110126', 'Node Authentication'),
  emergencyOverrideStarted: dcm('110127', 'Emergency Override Started'),
  userSecurityAttributesChanged: dcm('110137', 'User Security Attributes Changed'),
  emergencyOverrideStopped: dcm('110138', 'Emergency Override Stopped'),
  application: dcm('110150', 'Application'),
  destinationRole: dcm('110152', 'Destination Role ID'),
  sourceRole: dcm('110153', 'Source Role ID'),
  lock: wardline('lock', 'Workstation locked'),
  unlock: wardline('unlock', 'Workstation unlocked'),
  userSwitch: wardline('user-switch', 'User switched'),
  pinLockout: wardline('pin-lockout', 'PIN locked out after repeated failures'),
  print: wardline('print', 'Printed'),
  purge: wardline('purge', 'Cached chart purged'),
  enrollment: wardline('enrollment', 'Workstation enrolled at the hub'),
  wipe: wardline('wipe', 'Chart cache crypto-erased'),
  rekey: wardline('rekey', 'Encryption keys of the chart cache and audit trail changed'),
  ipcRejected: wardline('ipc-rejected', 'Message to the host rejected'),
  auditExport: wardline('audit-export', 'Audit trail exported'),
  informationRecipient: { system: PARTICIPATION_TYPE, code: 'IRCP', display: 'information recipient' } as Coding,
  author: { system: PARTICIPATION_TYPE, code: 'AUT', display: 'author (originator)' } as Coding,
  humanUser: { system: EXTRA_SECURITY_ROLE_TYPE, code: 'humanuser', display: 'human user' } as Coding,
  userDevice: { system: SECURITY_SOURCE_TYPE, code: '1', display: 'User Device' } as Coding,
  entityPerson: { system: AUDIT_ENTITY_TYPE, code: '1', display: 'Person' } as Coding,
  entitySystemObject: { system: AUDIT_ENTITY_TYPE, code: '2', display: 'System Object' } as Coding,
  rolePatient: { system: OBJECT_ROLE, code: '1', display: 'Patient' } as Coding,
  roleDomainResource: { system: OBJECT_ROLE, code: '4', display: 'Domain Resource' } as Coding,
  roleQuery: { system: OBJECT_ROLE, code: '24', display: 'Query' } as Coding,
} as const;

/** The fixed labels (Reference.display) of a workstation's agents and observer: never a person. */
export const AUDIT_AGENT_LABELS = {
  /** This workstation, before it is enrolled at a hub (named by its audit-log id). */
  workstation: 'Wardline workstation',
  /** The encrypted chart cache, the BALP "server" of a read or query on the workstation. */
  chartCache: 'Wardline chart cache',
} as const;

/** Identifier systems: hub account ids, workstation (audit log) ids. */
export const WARDLINE_USER_SYSTEM = 'https://wardline.example/fhir/NamingSystem/user';
export const WARDLINE_WORKSTATION_SYSTEM = 'https://wardline.example/fhir/NamingSystem/workstation';

/** The IHE BALP profiles of reads, queries, creates and updates (meta.profile). */
export const BALP = {
  patientRead: 'https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientRead',
  patientQuery: 'https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientQuery',
  patientCreate: 'https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientCreate',
  patientUpdate: 'https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientUpdate',
} as const;

/** HL7 v3 ActReason HCOMPL (health compliance): the purpose of reviewing who accessed a chart (audit-view). */
export const AUDIT_REVIEW_PURPOSE = 'HCOMPL';

/** AuditEvent.source.site of every workstation event. */
export const AUDIT_SOURCE_SITE = 'Wardline';

/**
 * The ids a workstation writes as an identifier's value or an agent's altId: hub account ids, session
 * ids and audit-log ids (UUIDs in practice), always FHIR ids: letters, digits, `-` and `.`, at most 64.
 * No space or comma: "Doe, Jane" or "Jane Doe 4711" is not an id.
 */
const WRITTEN_ID = /^[A-Za-z0-9\-.]{1,64}$/;
/** A reference the workstation writes: `Type/id` (Device, Patient, the resources concerned). */
const WRITTEN_REFERENCE = /^[A-Z][A-Za-z]{0,63}\/[A-Za-z0-9\-.]{1,64}$/;

/**
 * The AuditEvent.outcomeDesc of an entry (its hashed body): the entry's `detail.reason` when the
 * outcome is a failure, else none. The workstation's mapping writes it from here and the hub holds an
 * uploaded event to it, so outcomeDesc never carries text the hashed entry does not.
 */
export function auditOutcomeDescriptionOf(body: { readonly outcome?: unknown; readonly detail?: unknown }): string | undefined {
  if (body.outcome === 'success' || typeof body.detail !== 'object' || body.detail === null) return undefined;
  const reason = (body.detail as { readonly reason?: unknown }).reason;
  return typeof reason === 'string' ? reason : undefined;
}

/** Each code's display, by system, then code (no key built per look-up: the hub checks every upload). */
const DISPLAYS: ReadonlyMap<string, ReadonlyMap<string, string>> = (() => {
  const bySystem = new Map<string, Map<string, string>>();
  for (const coding of Object.values(AUDIT_CODES)) {
    if (coding.display === undefined) continue;
    let codes = bySystem.get(coding.system!);
    if (codes === undefined) bySystem.set(coding.system!, (codes = new Map()));
    codes.set(coding.code!, coding.display);
  }
  return bySystem;
})();
const LABELS: ReadonlySet<unknown> = new Set(Object.values(AUDIT_AGENT_LABELS));
/** Each system's codes (those written without a display too). */
const CODES_BY_SYSTEM: ReadonlyMap<string, ReadonlySet<string>> = (() => {
  const bySystem = new Map<string, Set<string>>();
  for (const coding of Object.values(AUDIT_CODES)) {
    let codes = bySystem.get(coding.system!);
    if (codes === undefined) bySystem.set(coding.system!, (codes = new Set()));
    codes.add(coding.code!);
  }
  return bySystem;
})();
const IDENTIFIER_SYSTEMS: ReadonlySet<unknown> = new Set([WARDLINE_USER_SYSTEM, WARDLINE_WORKSTATION_SYSTEM]);
const PROFILES: ReadonlySet<unknown> = new Set(Object.values(BALP));
/** The purposes of use an entry records: the break-the-glass table's (treatment among them) and the review's. */
const PURPOSES: ReadonlySet<unknown> = new Set([...BTG_REASONS.map((reason) => reason.code), AUDIT_REVIEW_PURPOSE]);

/** True when `display` is the one a workstation writes for `coding`'s system and code. */
export function isAuditCodeDisplay(coding: { readonly system?: unknown; readonly code?: unknown }, display: unknown): boolean {
  if (typeof coding.system !== 'string' || typeof coding.code !== 'string' || typeof display !== 'string') return false;
  const expected = DISPLAYS.get(coding.system)?.get(coding.code);
  return expected !== undefined && display === expected;
}

/** True when `display` is one of the fixed labels a workstation gives an agent or the observer. */
export function isAuditAgentLabel(display: unknown): boolean {
  return LABELS.has(display);
}

/** True when `coding`'s system and code are a pair of AUDIT_CODES (a code a workstation writes). */
export function isAuditCoding(coding: { readonly system?: unknown; readonly code?: unknown }): boolean {
  const { system, code } = coding;
  return typeof system === 'string' && typeof code === 'string' && CODES_BY_SYSTEM.get(system)?.has(code) === true;
}

/** True when `coding` is a purpose of use (v3-ActReason) an entry records: the break-the-glass table's, or the review's. */
export function isAuditPurposeCoding(coding: { readonly system?: unknown; readonly code?: unknown }): boolean {
  return coding.system === PURPOSE_OF_USE_SYSTEM && PURPOSES.has(coding.code);
}

/** True when `system` is one of the identifier systems a workstation writes. */
export function isAuditIdentifierSystem(system: unknown): boolean {
  return IDENTIFIER_SYSTEMS.has(system);
}

/** True when `profile` is one of the BALP profiles a workstation writes. */
export function isAuditProfile(profile: unknown): boolean {
  return PROFILES.has(profile);
}

/** True when `value` has the pattern of the ids a workstation writes (an identifier's value, an altId). */
export function isAuditWrittenId(value: unknown): boolean {
  return typeof value === 'string' && WRITTEN_ID.test(value);
}

/** True when `value` is a reference as a workstation writes one: `Type/id`. */
export function isAuditWrittenReference(value: unknown): boolean {
  return typeof value === 'string' && WRITTEN_REFERENCE.test(value);
}
