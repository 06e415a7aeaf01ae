// Who may see and change what. A device works for its ward: it reads the ward's in-patients (an
// in-progress Encounter at Location/ward-{ward}) and their resources, plus Locations and
// Practitioners. Outside the ward, a signed-in user may "break the glass" by giving a reason in
// the X-Wardline-Btg-Reason header; the hub records each such access in hub_access_log (ids, time,
// and the reason the user gave, which stays in the database) and logs it as a warning (ids only).
import { randomUUID } from 'node:crypto';
import type { Principal } from '../identity/index.js';
import type { SqlDatabase } from '../storage/index.js';
import type { Resource } from '../../shared/fhir/index.js';
import { patientIdOf } from '../../shared/fhir/index.js';
import { BTG_REASON_HEADER } from '../../shared/auth/index.js';
import { FhirError } from './fhir-error.js';
import { isPatientKnownToWard, isPatientOnWard, SHARED_TYPES, wardLocationRef, type AccessScope } from './store/index.js';

/** The request header carrying a break-the-glass reason (with a user token). */
export { BTG_REASON_HEADER };
const MAX_REASON_LENGTH = 500;

export interface Access {
  /** What the caller sees without breaking the glass. */
  readonly scope: AccessScope;
  /** Null for the hub's own work (demo seeding, tests): no limits. */
  readonly principal: Principal | null;
  readonly btgReason: string | null;
  /** Told of each break-the-glass access (ids only), for the hub's log. */
  readonly onBreakTheGlass?: (entry: BreakTheGlassEntry) => void;
}

export interface BreakTheGlassEntry {
  readonly deviceId: string;
  readonly userId: string;
  readonly patientId: string | null;
  readonly interaction: string;
  readonly resourceType: string;
}

export const UNRESTRICTED: Access = { scope: { kind: 'all' }, principal: null, btgReason: null };

export function accessFor(
  principal: Principal,
  reasonHeader: string | string[] | undefined,
  onBreakTheGlass?: (entry: BreakTheGlassEntry) => void,
): Access {
  const raw = Array.isArray(reasonHeader) ? reasonHeader[0] : reasonHeader;
  const reason = raw?.trim() ?? '';
  if (reason.length > MAX_REASON_LENGTH) {
    throw new FhirError(
      400,
      'INVALID_HEADER',
      'invalid',
      `A break-the-glass reason is at most ${MAX_REASON_LENGTH} characters.`,
      BTG_REASON_HEADER,
    );
  }
  return {
    scope: { kind: 'ward', wardRef: wardLocationRef(principal.device.ward) },
    principal,
    btgReason: reason || null,
    ...(onBreakTheGlass ? { onBreakTheGlass } : {}),
  };
}

function outOfScope(): FhirError {
  return new FhirError(
    403,
    'OUT_OF_SCOPE',
    'forbidden',
    "This record belongs to a patient who is not on this workstation's ward. Opening it needs a signed-in user and a break-the-glass reason.",
  );
}

export interface AccessTarget {
  readonly type: string;
  readonly id?: string;
  readonly patientId: string | null;
}

async function breakTheGlass(db: SqlDatabase, access: Access, target: AccessTarget, interaction: string, now: Date): Promise<void> {
  const principal = access.principal;
  if (!principal?.user || !access.btgReason) throw outOfScope();
  await db.execute(
    `INSERT INTO hub_access_log (id, at, device_id, user_id, patient_id, interaction, res_type, res_id, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      randomUUID(),
      now.getTime(),
      principal.device.deviceId,
      principal.user.userId,
      target.patientId,
      interaction,
      target.type,
      target.id ?? null,
      access.btgReason,
    ],
  );
  access.onBreakTheGlass?.({
    deviceId: principal.device.deviceId,
    userId: principal.user.userId,
    patientId: target.patientId,
    interaction,
    resourceType: target.type,
  });
}

/** Throws 403 unless the caller may read the target; records a break-the-glass read. */
export async function authorizeRead(db: SqlDatabase, access: Access, target: AccessTarget, interaction: string, now: Date): Promise<void> {
  const scope = access.scope;
  if (scope.kind === 'all' || SHARED_TYPES.includes(target.type)) return;
  if (target.patientId !== null && (await isPatientOnWard(db, target.patientId, scope.wardRef))) return;
  await breakTheGlass(db, access, target, interaction, now);
}

/**
 * The scope of a search: the ward, widened to one named patient when the caller breaks the glass
 * for a search limited to that patient (`patient=` / `subject=`).
 */
export async function searchScope(
  db: SqlDatabase,
  access: Access,
  type: string,
  patientIds: readonly string[],
  now: Date,
): Promise<AccessScope> {
  const scope = access.scope;
  if (scope.kind === 'all' || !access.btgReason || !access.principal?.user) return scope;
  const distinct = [...new Set(patientIds)];
  if (distinct.length !== 1) return scope;
  const patientId = distinct[0]!;
  if (await isPatientOnWard(db, patientId, scope.wardRef)) return scope;
  await breakTheGlass(db, access, { type, patientId }, 'search', now);
  return { ...scope, extraPatientId: patientId };
}

/** How long after leaving a ward a patient's documentation from that ward is still accepted. */
export const LATE_DOCUMENTATION_DAYS = 30;

/**
 * Throws 403 unless the caller may write `next` (null for a delete) over `previous`. A ward's device
 * may write for its in-patients, and for patients whose Encounter left its ward (discharge,
 * transfer) within LATE_DOCUMENTATION_DAYS (so
 * documentation made during downtime still arrives after a discharge or transfer), and an Encounter
 * that puts a patient on its ward. Locations and Practitioners are changed by admin users only.
 */
export async function authorizeWrite(
  tx: SqlDatabase,
  access: Access,
  type: string,
  next: Resource | null,
  previousPatientId: string | null,
  now: Date,
): Promise<void> {
  const scope = access.scope;
  if (scope.kind === 'all') return;
  if (SHARED_TYPES.includes(type)) {
    if (access.principal?.user?.role === 'admin') return;
    throw new FhirError(403, 'FORBIDDEN', 'forbidden', `Only an admin user may change ${type} resources.`);
  }
  const nextPatient = next ? (patientIdOf(next) ?? null) : null;
  const patients = [...new Set([nextPatient, previousPatientId].filter((p): p is string => p !== null))];
  for (const patientId of patients) {
    if (await isPatientOnWard(tx, patientId, scope.wardRef)) continue;
    const since = (now.getTime() - LATE_DOCUMENTATION_DAYS * 86_400_000) * 1000;
    if (await isPatientKnownToWard(tx, patientId, scope.wardRef, since)) continue;
    if (next?.resourceType === 'Encounter' && patientId === nextPatient && encounterListsWard(next, scope.wardRef)) continue;
    await breakTheGlass(tx, access, { type, ...(next?.id ? { id: next.id } : {}), patientId }, 'write', now);
  }
}

function encounterListsWard(encounter: Resource, wardRef: string): boolean {
  if (encounter.resourceType !== 'Encounter') return false;
  return (encounter.location ?? []).some((entry) => entry.status !== 'completed' && entry.location?.reference === wardRef);
}
