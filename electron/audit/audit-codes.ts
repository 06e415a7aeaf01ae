// The systems and profiles the AuditEvent mapping uses besides its codes: purpose of use, IHE BALP
// profile URLs, and the identifier systems of users and workstations. They, the codes and the display
// that belongs to each are one table shared with the hub, which refuses any other value there
// (shared/fhir/audit-event-codes.ts). The table of which action maps to which is in docs/AUDIT.md.
import { PURPOSE_OF_USE_SYSTEM } from '../../shared/access/index.js';

export { BALP, WARDLINE_USER_SYSTEM, WARDLINE_WORKSTATION_SYSTEM } from '../../shared/fhir/index.js';

/** Purpose of use (HL7 v3 ActReason), the system of the break-the-glass reasons. */
export const ACT_REASON = PURPOSE_OF_USE_SYSTEM;
