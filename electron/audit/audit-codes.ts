// The systems and profiles the AuditEvent mapping uses besides its codes: purpose of use, IHE BALP
// profile URLs, and the identifier systems of users and workstations. The codes themselves, and the
// display that belongs to each, are one table shared with the hub, which refuses any other display
// (shared/fhir/audit-event-codes.ts). The table of which action maps to which is in docs/AUDIT.md.
import { PURPOSE_OF_USE_SYSTEM } from '../../shared/access/index.js';

/** Purpose of use (HL7 v3 ActReason), the system of the break-the-glass reasons. */
export const ACT_REASON = PURPOSE_OF_USE_SYSTEM;

/** Identifier systems: hub account ids, workstation (audit log) ids. */
export const WARDLINE_USER_SYSTEM = 'https://wardline.example/fhir/NamingSystem/user';
export const WARDLINE_WORKSTATION_SYSTEM = 'https://wardline.example/fhir/NamingSystem/workstation';

export const BALP = {
  patientRead: 'https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientRead',
  patientQuery: 'https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientQuery',
  patientCreate: 'https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientCreate',
  patientUpdate: 'https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientUpdate',
} as const;
