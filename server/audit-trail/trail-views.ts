// The privacy officer's own reading of the trail, recorded in the trail itself: each search of
// GET /fhir/AuditEvent (the user and workstation that asked) and each `wardline-hub audit export`
// (the OS account that ran it), when, and which filters, written before the page or the file is
// handed over (no reading without its record). The filters are kept as ids only: a search by a
// patient's name or MRN is recorded as the patient references it resolved to, never the name or
// MRN typed. Also the trail's page cursor, as the opaque `_cursor` of a next link.
import { randomUUID } from 'node:crypto';
import type { SqlDatabase } from '../storage/index.js';
import type { TrailCursor, TrailFilter, TrailSource } from './trail-query.js';

export type TrailViewKind = 'search' | 'export';

export interface TrailView {
  readonly kind: TrailViewKind;
  readonly at: Date;
  /** The workstation the search came from; null for an export at the hub's command line. */
  readonly deviceId: string | null;
  readonly userId: string | null;
  /** The operating-system account that ran an export. */
  readonly osUser: string | null;
  readonly filter: TrailFilter;
  /** The page asked for (a search): its size, and where it starts. */
  readonly page?: { readonly count: number; readonly after?: TrailCursor };
}

/** The filters as recorded: ids and references only (JSON). */
export function filterRecord(filter: TrailFilter, page?: TrailView['page']): string {
  const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());
  return JSON.stringify({
    from: iso(filter.from),
    to: iso(filter.to),
    patients: filter.patientIds?.map((id) => `Patient/${id}`),
    agents: filter.userIds?.map((id) => `Practitioner/${id}`),
    usernames: filter.usernames,
    actions: filter.actions,
    types: filter.types,
    subtypes: filter.subtypes,
    source: filter.deviceId === undefined ? undefined : `Device/${filter.deviceId}`,
    dedup: filter.dedup,
    count: page?.count,
    after: page?.after === undefined ? undefined : { at: iso(page.after.at), source: page.after.source, id: page.after.id },
  });
}

/** The patient references a recorded filter names. */
export function patientsOfFilterRecord(record: string | null): string[] {
  if (record === null) return [];
  try {
    const patients = (JSON.parse(record) as { patients?: unknown }).patients;
    return Array.isArray(patients) ? patients.filter((p): p is string => typeof p === 'string' && p.startsWith('Patient/')) : [];
  } catch {
    return [];
  }
}

export async function recordTrailView(db: SqlDatabase, view: TrailView): Promise<void> {
  await db.execute(
    `INSERT INTO audit_trail_views (id, at, kind, device_id, user_id, os_user, filter) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      randomUUID(),
      view.at.getTime(),
      view.kind,
      view.deviceId,
      view.userId,
      view.osUser === null ? null : view.osUser.slice(0, 128),
      filterRecord(view.filter, view.page),
    ],
  );
}

const SOURCES: readonly TrailSource[] = ['workstation', 'hub-access', 'hub-sign-in', 'hub-trail-view', 'hub-action'];

/** The cursor as `_cursor` text (base64url JSON). */
export function cursorText(cursor: TrailCursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.source, cursor.id])).toString('base64url');
}

/** The cursor of `_cursor` text, or null when it is not one this hub wrote. */
export function cursorOf(text: string): TrailCursor | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(text)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 3) return null;
    const [at, source, id] = value as unknown[];
    if (typeof at !== 'number' || !Number.isSafeInteger(at) || typeof id !== 'string' || id.length > 200) return null;
    if (!SOURCES.includes(source as TrailSource)) return null;
    return { at, source: source as TrailSource, id };
  } catch {
    return null;
  }
}
