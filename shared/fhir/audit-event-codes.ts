// The codes a workstation's AuditEvent carries and the display that belongs to each (DICOM event
// types and roles, the FHIR R4 audit vocabularies, Wardline's own subtypes for events no standard
// code names), and the fixed labels it gives an agent or the observer. One table for both sides: the
// workstation's mapping (electron/audit/audit-event-mapping.ts) writes from it, and the hub refuses an
// uploaded event with any other display (audit-event-shape.ts), so a display can never carry a name.
// Which action maps to which code is in docs/AUDIT.md.
import type { Coding } from '@medplum/fhirtypes';

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
