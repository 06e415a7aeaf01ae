// Who may read what, judged on every request with the shared permission table (shared/access).
// - A device token alone keeps its ward's cache: it reads the ward's in-patients (an in-progress
//   Encounter at Location/ward-{ward}) and their resources, plus Locations and Practitioners.
// - A signed-in user (X-Wardline-User) reads what their role may read (a clerk: the census and
//   demographics, never vital signs), of the patients on a ward they hold that is this device's
//   ward, restricted charts (v3-Confidentiality R/V) excepted.
// - Any other chart (off-ward, restricted) needs break-the-glass: a reason in X-Wardline-Btg-Reason,
//   from a role that may break the glass (btg:use). The hub then grants that user, on that device,
//   that patient for HUB_BTG_GRANT_MS, and records every read under the grant in hub_access_log
//   (ids, time, the reason the user gave; the reason stays in the database) and in its log (ids only).
// - One record of a patient who left the ward, read by id: the device of the ward they left (alone, or
//   with a signed-in user of that ward whose role reads it, the chart not restricted) reads the current
//   version of documentation it may still change (changeable-records.ts), so a conflict on it is settled
//   on what the hub holds; recorded in hub_access_log too (basis late-documentation). Nothing else of
//   that chart.
// Writes are judged in write-policy.ts. A null principal is the integration principal: the hub's own
// work (demo seeding, the hospital's ADT feed), unlimited.
import { randomUUID } from 'node:crypto';
import type { Principal } from '../identity/index.js';
import type { SqlDatabase } from '../storage/index.js';
import {
  isPermitted,
  readActionOf,
  readActionsOfType,
  REFERENCE_TYPES,
  wardScope,
  type Action,
  type CategorisedResource,
} from '../../shared/access/index.js';
import { BTG_REASON_HEADER } from '../../shared/auth/index.js';
import { FhirError } from './fhir-error.js';
import {
  contentText,
  isPatientOnWard,
  isPatientRestricted,
  wardLocationRef,
  type AccessScope,
  type StoredResource,
} from './store/index.js';

/** The request header carrying a break-the-glass reason (with a user token). */
export { BTG_REASON_HEADER };
const MAX_REASON_LENGTH = 500;
/** How long the hub serves a chart after a break-the-glass reason (the workstation's default grant). */
export const HUB_BTG_GRANT_MS = 30 * 60_000;

export interface Access {
  /** What the caller sees without breaking the glass. */
  readonly scope: AccessScope;
  /** Null for the integration principal (the hub's own work: demo seeding, the ADT feed): no limits. */
  readonly principal: Principal | null;
  readonly btgReason: string | null;
  /** Told of each break-the-glass access (ids only), for the hub's log. */
  readonly onBreakTheGlass?: (entry: BreakTheGlassEntry) => void;
  /** Told of each refusal that does not reach the route's error handler (a batch entry), for the hub's log. */
  readonly onRefused?: (error: FhirError) => void;
  /** Per-request memo of patient checks (on ward, restricted), so a Bundle asks the database once per patient. */
  readonly memo: Map<string, Promise<boolean>>;
}

export interface BreakTheGlassEntry {
  readonly deviceId: string;
  readonly userId: string;
  readonly patientId: string | null;
  readonly interaction: string;
  readonly resourceType: string;
}

/** The integration principal's access (the hub's own work, the ADT feed): no limits. */
export function integrationAccess(): Access {
  return { scope: { kind: 'all' }, principal: null, btgReason: null, memo: new Map() };
}

export function accessFor(
  principal: Principal,
  reasonHeader: string | string[] | undefined,
  hooks: { onBreakTheGlass?: (entry: BreakTheGlassEntry) => void; onRefused?: (error: FhirError) => void } = {},
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
  const user = principal.user;
  const ward = user === undefined ? principal.device.ward : (wardScope(user.wards, principal.device.ward)[0] ?? null);
  return {
    scope: {
      kind: 'ward',
      wardRef: ward === null ? null : wardLocationRef(ward),
      ...(user === undefined ? {} : { excludeRestricted: true }),
    },
    principal,
    btgReason: reason || null,
    memo: new Map(),
    ...hooks,
  };
}

function outOfScope(): FhirError {
  return new FhirError(
    403,
    'OUT_OF_SCOPE',
    'forbidden',
    "This record belongs to a patient who is not on this workstation's ward, or whose chart is restricted. Opening it needs a signed-in user and a break-the-glass reason.",
  );
}

function roleRefused(action: Action): FhirError {
  return new FhirError(403, 'FORBIDDEN', 'forbidden', `Your role does not allow this (${action}); nothing was read.`);
}

function memoized(access: Access, key: string, check: () => Promise<boolean>): Promise<boolean> {
  let found = access.memo.get(key);
  if (found === undefined) {
    found = check();
    access.memo.set(key, found);
  }
  return found;
}

/** Whether the device token may read at all (it asked for system/*.read). */
function requireReadScope(access: Access): void {
  if (access.principal !== null && !access.principal.device.scope.read) {
    throw new FhirError(
      403,
      'INSUFFICIENT_SCOPE',
      'forbidden',
      'This token was not granted system/*.read; request a token with that scope.',
    );
  }
}

/**
 * Throws 403 unless the caller may read resources of `type` at all (a user: every chart category
 * the type may hold, so a clerk's Observation search is refused). Reference data is open to all.
 */
export function authorizeReadType(access: Access, type: string): void {
  requireReadScope(access);
  const user = access.principal?.user;
  if (user === undefined) return;
  const actions = readActionsOfType(type);
  if (actions === null) throw new FhirError(403, 'FORBIDDEN', 'forbidden', `${type} is not read from a workstation user's session.`);
  for (const action of actions) if (!isPermitted(user.role, action)) throw roleRefused(action);
}

/** How the caller's role reads resources of a type: all of them, none, or each by its category. */
type TypeReadRule = 'all' | 'none' | 'per-resource';

function typeReadRule(access: Access, type: string): TypeReadRule {
  const user = access.principal?.user;
  if (user === undefined) return 'all';
  const actions = readActionsOfType(type);
  if (actions === null) return 'none';
  if (actions.every((action) => isPermitted(user.role, action))) return 'all';
  // Only an Observation's category is per resource (vital signs or laboratory); other types need every action.
  return type === 'Observation' && actions.some((action) => isPermitted(user.role, action)) ? 'per-resource' : 'none';
}

/** Whether the caller's role may read this stored resource (its category); true for devices. */
export function mayReadRow(access: Access, row: StoredResource): boolean {
  const rule = typeReadRule(access, row.type);
  if (rule !== 'per-resource') return rule === 'all';
  if (row.content === null) return false;
  const user = access.principal!.user!;
  const action = readActionOf(JSON.parse(contentText(row)!) as CategorisedResource);
  return action !== null && isPermitted(user.role, action);
}

/**
 * mayReadRow decided once for a whole query over resources of `types`: null when the caller may
 * read every resource of every type (a device, the hub's own work); else the types it may read in
 * full (the others it may not read at all); or 'per-resource' when some type is readable only in
 * part (an Observation by its category), so that rows must be judged one by one with mayReadRow.
 */
export function readableTypes(access: Access, types: readonly string[]): readonly string[] | null | 'per-resource' {
  if (access.principal?.user === undefined) return null;
  const readable: string[] = [];
  for (const type of types) {
    const rule = typeReadRule(access, type);
    if (rule === 'per-resource') return 'per-resource';
    if (rule === 'all') readable.push(type);
  }
  return readable;
}

/** Whether `patientId` is in the caller's scope without breaking the glass. */
export async function isInScope(db: SqlDatabase, access: Access, patientId: string): Promise<boolean> {
  const scope = access.scope;
  if (scope.kind === 'all') return true;
  if (scope.wardRef === null) return false;
  const wardRef = scope.wardRef;
  if (!(await memoized(access, `ward:${patientId}`, () => isPatientOnWard(db, patientId, wardRef)))) return false;
  if (!scope.excludeRestricted) return true;
  return !(await memoized(access, `restricted:${patientId}`, () => isPatientRestricted(db, patientId)));
}

export interface AccessTarget {
  readonly type: string;
  readonly id?: string;
  readonly patientId: string | null;
}

interface ActiveGrant {
  readonly grantId: string;
  readonly reason: string;
}

async function activeGrant(
  db: SqlDatabase,
  principal: Principal,
  userId: string,
  patientId: string,
  now: Date,
): Promise<ActiveGrant | null> {
  const rows = await db.query<{ grant_id: string; reason: string }>(
    `SELECT grant_id, reason FROM hub_btg_grants WHERE user_id = $1 AND patient_id = $2 AND device_id = $3 AND expires_at > $4
     ORDER BY expires_at DESC LIMIT 1`,
    [userId, patientId, principal.device.deviceId, now.getTime()],
  );
  const row = rows[0];
  return row === undefined ? null : { grantId: row.grant_id, reason: row.reason };
}

/** Why the hub served a read beyond the caller's scope (hub_access_log.basis). */
export type AccessBasis = 'break-the-glass' | 'late-documentation';

/** What hub_access_log.reason holds for a read of a record the ward a patient left may still change. */
export const LATE_DOCUMENTATION_READ_REASON =
  "The current version of a record this ward documented during the patient's stay and may still change (a conflict to settle).";

/** A row of hub_access_log: a read the hub served beyond the caller's scope, recorded before it is answered. */
async function recordAccess(
  db: SqlDatabase,
  principal: Principal,
  target: AccessTarget & { readonly patientId: string },
  interaction: string,
  basis: AccessBasis,
  reason: string,
  now: Date,
): Promise<void> {
  await db.execute(
    `INSERT INTO hub_access_log (id, at, device_id, user_id, patient_id, interaction, res_type, res_id, reason, basis)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      randomUUID(),
      now.getTime(),
      principal.device.deviceId,
      principal.user?.userId ?? null,
      target.patientId,
      interaction,
      target.type,
      target.id ?? null,
      reason,
      basis,
    ],
  );
}

/**
 * Whether the caller's own limits let it read a record of a patient outside its scope that its
 * device may still change: a device alone, or a user who holds the device's ward, the chart not
 * restricted (a restricted chart is opened by breaking the glass, as on the ward).
 */
async function mayReadOffScope(db: SqlDatabase, access: Access, patientId: string): Promise<boolean> {
  if (access.principal === null || access.scope.kind === 'all') return false;
  if (access.principal.user === undefined) return true;
  if (access.scope.wardRef === null) return false;
  return !access.scope.excludeRestricted || !(await memoized(access, `restricted:${patientId}`, () => isPatientRestricted(db, patientId)));
}

/**
 * Opens (or uses) a break-the-glass grant for the target's patient, and records the access; throws
 * 403 when there is no user, the role may not break the glass, or there is neither a reason nor a
 * grant still running.
 */
async function breakTheGlass(db: SqlDatabase, access: Access, target: AccessTarget, interaction: string, now: Date): Promise<void> {
  const principal = access.principal;
  const user = principal?.user;
  if (!principal || !user || target.patientId === null) throw outOfScope();
  if (!isPermitted(user.role, 'btg:use')) {
    throw new FhirError(
      403,
      'BTG_NOT_PERMITTED',
      'forbidden',
      "Your role cannot break the glass, so this chart (another ward's, or restricted) cannot be opened from your session.",
    );
  }
  let reason = access.btgReason;
  if (reason === null) {
    const grant = await activeGrant(db, principal, user.userId, target.patientId, now);
    if (grant === null) throw outOfScope();
    reason = grant.reason;
  } else if ((await activeGrant(db, principal, user.userId, target.patientId, now)) === null) {
    await db.execute(
      `INSERT INTO hub_btg_grants (grant_id, user_id, device_id, patient_id, reason, granted_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [randomUUID(), user.userId, principal.device.deviceId, target.patientId, reason, now.getTime(), now.getTime() + HUB_BTG_GRANT_MS],
    );
  }
  await recordAccess(db, principal, { ...target, patientId: target.patientId }, interaction, 'break-the-glass', reason, now);
  access.onBreakTheGlass?.({
    deviceId: principal.device.deviceId,
    userId: user.userId,
    patientId: target.patientId,
    interaction,
    resourceType: target.type,
  });
}

/**
 * Throws 403 unless the caller may read the target (its role, for the stored resource's category
 * when given; its scope; a record its device may still change, when `mayChange` is given and says so
 * (a read by id), which is recorded; or break-the-glass, which is recorded).
 */
export async function authorizeRead(
  db: SqlDatabase,
  access: Access,
  target: AccessTarget & { readonly stored?: StoredResource },
  interaction: string,
  now: Date,
  mayChange?: () => Promise<boolean>,
): Promise<void> {
  authorizeReadType(access, target.type);
  if (target.stored !== undefined && !mayReadRow(access, target.stored)) {
    throw roleRefused(readActionOf(JSON.parse(contentText(target.stored) ?? '{}') as CategorisedResource) ?? 'chart:read');
  }
  if (access.scope.kind === 'all' || REFERENCE_TYPES.includes(target.type)) return;
  const patientId = target.patientId;
  if (patientId !== null && (await isInScope(db, access, patientId))) return;
  if (mayChange !== undefined && patientId !== null && (await mayReadOffScope(db, access, patientId)) && (await mayChange())) {
    await recordAccess(
      db,
      access.principal!,
      { ...target, patientId },
      interaction,
      'late-documentation',
      LATE_DOCUMENTATION_READ_REASON,
      now,
    );
    return;
  }
  await breakTheGlass(db, access, target, interaction, now);
}

/**
 * The scope of a search: the caller's, widened to one named patient when the caller breaks the
 * glass (or holds a grant) for a search limited to that patient (`patient=` / `subject=`).
 */
export async function searchScope(
  db: SqlDatabase,
  access: Access,
  type: string,
  patientIds: readonly string[],
  now: Date,
): Promise<AccessScope> {
  const scope = access.scope;
  if (scope.kind === 'all' || !access.principal?.user) return scope;
  const distinct = [...new Set(patientIds)];
  if (distinct.length !== 1) return scope;
  const patientId = distinct[0]!;
  if (await isInScope(db, access, patientId)) return scope;
  if (access.btgReason === null && (await activeGrant(db, access.principal, access.principal.user.userId, patientId, now)) === null) {
    return scope;
  }
  await breakTheGlass(db, access, { type, patientId }, 'search', now);
  return { ...scope, extraPatientId: patientId };
}
