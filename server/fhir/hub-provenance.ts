// The Provenance the hub writes for documentation a signed-in user sends without one (a write made
// with a user token): who (the user, Practitioner/{userId}), when (the hub's time) and from which
// workstation (Device/{deviceId}). Same shape as the workstation's own documentation Provenance
// (targets the written resources and the patient, activity v3-DataOperation, the user as `author`
// agent first), plus the workstation as a second agent. Written in the request's transaction, after
// the writes were judged, so it commits with them or not at all. A write whose request already
// carries a Provenance for it (the workstation's outbox) gets none from the hub.
import { randomUUID } from 'node:crypto';
import { patientIdOf, type Provenance, type Resource } from '../../shared/fhir/index.js';
import type { SqlDatabase } from '../storage/index.js';
import type { Access } from './access-policy.js';
import type { JournalEntry, WriteJournal } from './write-policy.js';
import { writeVersions, type WriteSession } from './store/index.js';

/** Provenance.activity's code system (CREATE, UPDATE, DELETE), for every Provenance the hub writes. */
export const DATA_OPERATION = 'http://terminology.hl7.org/CodeSystem/v3-DataOperation';
/** Provenance.agent.type's code system (author…), for every Provenance the hub writes. */
export const PARTICIPANT_TYPE = 'http://terminology.hl7.org/CodeSystem/provenance-participant-type';
const DCM = 'http://dicom.nema.org/resources/ontology/DCM';

type Operation = 'CREATE' | 'UPDATE' | 'DELETE';
const OPERATION_DISPLAY: Readonly<Record<Operation, string>> = { CREATE: 'create', UPDATE: 'revise', DELETE: 'delete' };

function operationOf(entry: JournalEntry): Operation {
  if (entry.next === null) return 'DELETE';
  return entry.previous === null || entry.previous.deleted ? 'CREATE' : 'UPDATE';
}

function patientOf(entry: JournalEntry): string | null {
  return (entry.next ? patientIdOf(entry.next) : undefined) ?? entry.previous?.patientId ?? null;
}

/** The Provenance of one user's writes for one patient (one operation), made on one workstation. */
export function hubProvenance(options: {
  readonly id: string;
  readonly targets: readonly string[];
  readonly patientId: string | null;
  readonly operation: Operation;
  readonly userId: string;
  readonly username: string;
  readonly deviceId: string;
  readonly recorded: string;
}): Provenance & { id: string } {
  return {
    resourceType: 'Provenance',
    id: options.id,
    target: [
      ...options.targets.map((reference) => ({ reference })),
      ...(options.patientId === null ? [] : [{ reference: `Patient/${options.patientId}` }]),
    ],
    occurredDateTime: options.recorded,
    recorded: options.recorded,
    activity: {
      coding: [{ system: DATA_OPERATION, code: options.operation, display: OPERATION_DISPLAY[options.operation] }],
      text: 'Documented on the ward',
    },
    agent: [
      {
        type: { coding: [{ system: PARTICIPANT_TYPE, code: 'author', display: 'Author' }] },
        who: { reference: `Practitioner/${options.userId}`, display: options.username },
      },
      {
        type: { coding: [{ system: DCM, code: '110150', display: 'Application' }], text: 'Workstation' },
        who: { reference: `Device/${options.deviceId}` },
      },
    ],
  };
}

/**
 * Writes the hub's Provenance for each patient's writes of a user request that named no recorder
 * itself. Nothing for device-alone uploads (their Provenance is required and checked), for the
 * integration principal, or for conditional creates that matched (nothing was written).
 */
export async function writeHubProvenance(
  tx: SqlDatabase,
  session: WriteSession,
  access: Access,
  journal: WriteJournal,
  now: Date,
): Promise<void> {
  const principal = access.principal;
  const user = principal?.user;
  if (!principal || !user) return;
  const covered = new Set<string>();
  for (const entry of journal.entries) {
    if (entry.type !== 'Provenance' || entry.next === null) continue;
    for (const target of (entry.next as Provenance).target ?? []) if (target.reference) covered.add(target.reference);
  }
  const groups = new Map<string, { patientId: string | null; operation: Operation; targets: string[] }>();
  for (const entry of journal.entries) {
    const reference = `${entry.type}/${entry.id}`;
    if (entry.matched || entry.type === 'Provenance' || covered.has(reference)) continue;
    const patientId = patientOf(entry);
    const operation = operationOf(entry);
    const key = `${patientId ?? ''}|${operation}`;
    const group = groups.get(key) ?? { patientId, operation, targets: [] };
    group.targets.push(reference);
    groups.set(key, group);
  }
  if (groups.size === 0) return;
  const recorded = now.toISOString();
  const versions = [...groups.values()].map((group) => ({
    resource: hubProvenance({
      id: randomUUID(),
      targets: group.targets.sort(),
      patientId: group.patientId,
      operation: group.operation,
      userId: user.userId,
      username: user.username,
      deviceId: principal.device.deviceId,
      recorded,
    }) as Resource,
    previous: null,
  }));
  await writeVersions(tx, session, versions);
}
