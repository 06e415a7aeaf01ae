// A page of the trail as FHIR R4 AuditEvents, with who and which patient resolved at view time:
// the username on each user agent, the patient's name and MRN on each patient entity. Nothing
// resolved here is stored. Uploaded events are shown as uploaded (plus those labels, a tag for
// a chain problem found in them, and how often a de-duplicated census read was recorded); the
// hub's own records (break-the-glass reads, reads of a record the ward a patient left may still
// change, sign-ins) are mapped to the same AuditEvent shapes the
// workstation uses (docs/AUDIT.md).
import { PURPOSE_OF_USE, PURPOSE_OF_USE_SYSTEM } from '../../shared/access/index.js';
import { WARDLINE_USER_SYSTEM } from '../../shared/fhir/index.js';
import { patientLabels, type PatientLabel } from '../fhir/index.js';
import { usernamesOf } from '../identity/index.js';
import type { SqlDatabase } from '../storage/index.js';
import { HUB_ACTION_CODING, HUB_ACTIONS, hubActionSummary, userIdOfDetail, type HubAction, type HubActionDetail } from './hub-actions.js';
import { accessReasons, flagsOf, uploadedEvents, type TrailRow } from './trail-query.js';
import { patientsOfFilterRecord } from './trail-views.js';

export const AUDIT_REPEATS_EXTENSION_URL = 'https://wardline.example/fhir/StructureDefinition/audit-repeats';
export const AUDIT_FLAG_SYSTEM = 'https://wardline.example/fhir/CodeSystem/audit-chain-flag';
const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
/** The hub's access-log interactions as restful-interaction codes. */
const INTERACTION_CODES: Readonly<Record<string, string>> = {
  read: 'read',
  vread: 'vread',
  search: 'search-type',
  history: 'history-instance',
  everything: 'operation',
};
const OUTCOME_CODES: Readonly<Record<string, string>> = {
  success: '0',
  'minor-failure': '4',
  'serious-failure': '8',
  'major-failure': '12',
};

/** What a row shows beside its event: resolved names (for CSV exports and tests). */
export interface TrailLabels {
  readonly usernames: ReadonlyMap<string, string>;
  readonly patients: ReadonlyMap<string, PatientLabel>;
}

export async function labelsOf(db: SqlDatabase, rows: readonly TrailRow[]): Promise<TrailLabels> {
  return {
    usernames: await usernamesOf(db, [
      ...rows.map((row) => row.userId).filter((id): id is string => id !== null),
      ...rows
        .filter((row) => row.source === 'hub-action')
        .map((row) => userIdOfDetail(hubActionDetailOf(row)))
        .filter((id): id is string => id !== null),
    ]),
    patients: await patientLabels(db, [
      ...rows.map((row) => row.patientId).filter((id): id is string => id !== null),
      ...rows
        .filter((row) => row.source === 'hub-trail-view')
        .flatMap((row) => patientsOfFilterRecord(row.query).map((reference) => reference.slice('Patient/'.length))),
    ]),
  };
}

/** "Family, Given (MRN 123)", or what is known of it. */
export function patientDisplay(label: PatientLabel | undefined): string | undefined {
  if (label === undefined) return undefined;
  const mrn = label.mrn === null ? '' : `MRN ${label.mrn}`;
  if (label.name === null) return mrn || undefined;
  return mrn ? `${label.name} (${mrn})` : label.name;
}

type Json = Record<string, unknown>;

function withLabels(event: Json, row: TrailRow, labels: TrailLabels): Json {
  const agents = Array.isArray(event.agent) ? (event.agent as Json[]) : [];
  const agent = agents.map((a) => {
    const who = (a.who ?? {}) as Json;
    const identifier = (who.identifier ?? {}) as Json;
    const userId =
      identifier.system === WARDLINE_USER_SYSTEM && typeof identifier.value === 'string'
        ? identifier.value
        : typeof who.reference === 'string' && who.reference.startsWith('Practitioner/')
          ? who.reference.slice('Practitioner/'.length)
          : null;
    const username = userId === null ? undefined : labels.usernames.get(userId);
    return username === undefined ? a : { ...a, who: { ...who, display: username }, name: username };
  });
  if (row.usernameTried !== null && row.userId === null) {
    agent.push({ who: { display: row.usernameTried }, name: row.usernameTried, requestor: true });
  }
  const entities = Array.isArray(event.entity) ? (event.entity as Json[]) : [];
  const entity = entities.map((e) => {
    const what = (e.what ?? {}) as Json;
    const reference = typeof what.reference === 'string' ? what.reference : '';
    if (!reference.startsWith('Patient/')) return e;
    const label = labels.patients.get(reference.slice('Patient/'.length));
    const display = patientDisplay(label);
    return display === undefined ? e : { ...e, what: { ...what, display }, ...(label?.name ? { name: label.name } : {}) };
  });
  return { ...event, agent, ...(entity.length ? { entity } : {}) };
}

function userAgent(row: TrailRow, labels: TrailLabels): Json[] {
  if (row.userId === null) {
    return row.usernameTried === null ? [] : [{ who: { display: row.usernameTried }, name: row.usernameTried, requestor: true }];
  }
  const username = labels.usernames.get(row.userId) ?? row.usernameTried ?? undefined;
  return [
    {
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP' }] },
      who: {
        identifier: { system: WARDLINE_USER_SYSTEM, value: row.userId },
        ...(username === undefined ? {} : { display: username }),
      },
      ...(username === undefined ? {} : { name: username }),
      requestor: true,
    },
  ];
}

function hubEvent(
  row: TrailRow,
  labels: TrailLabels,
  access: { reason: string; type: string | null; resId: string | null } | undefined,
): Json {
  const recorded = new Date(row.at ?? 0).toISOString();
  const device = {
    type: { coding: [{ system: DCM, code: '110150', display: 'Application' }] },
    who: { reference: `Device/${row.deviceId}` },
    requestor: false,
  };
  const source = {
    site: 'Wardline hub',
    observer: { display: 'Wardline hub' },
    type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' }],
  };
  if (row.source === 'hub-trail-view') return trailViewEvent(row, labels, source);
  if (row.source === 'hub-action') return hubActionEvent(row, labels, source);
  if (row.source === 'hub-sign-in') {
    return {
      resourceType: 'AuditEvent',
      id: row.id,
      type: { system: DCM, code: '110114', display: 'User Authentication' },
      subtype: [{ system: DCM, code: '110122', display: 'Login' }],
      action: 'E',
      recorded,
      outcome: OUTCOME_CODES[row.outcome ?? 'success'] ?? '0',
      ...(row.detail === null ? {} : { outcomeDesc: row.detail }),
      agent: [...userAgent(row, labels), device],
      source,
    };
  }
  const display = row.patientId === null ? undefined : patientDisplay(labels.patients.get(row.patientId));
  const patientName = row.patientId === null ? null : (labels.patients.get(row.patientId)?.name ?? null);
  return {
    resourceType: 'AuditEvent',
    id: row.id,
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest', display: 'RESTful Operation' },
    subtype: [{ system: 'http://hl7.org/fhir/restful-interaction', code: INTERACTION_CODES[row.detail ?? 'read'] ?? 'read' }],
    action: 'R',
    recorded,
    outcome: '0',
    purposeOfEvent: [
      {
        coding: [
          {
            system: PURPOSE_OF_USE_SYSTEM,
            code: row.action === 'late-documentation-read' ? PURPOSE_OF_USE.treatment : PURPOSE_OF_USE.emergency,
          },
        ],
        ...(access ? { text: access.reason } : {}),
      },
    ],
    agent: [...userAgent(row, labels), device],
    source,
    entity: [
      ...(row.patientId === null
        ? []
        : [
            {
              what: { reference: `Patient/${row.patientId}`, ...(display === undefined ? {} : { display }) },
              ...(patientName === null ? {} : { name: patientName }),
              type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1', display: 'Person' },
              role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' },
            },
          ]),
      ...(access?.type && access.resId
        ? [
            {
              what: { reference: `${access.type}/${access.resId}` },
              type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2', display: 'System Object' },
              role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '4', display: 'Domain Resource' },
            },
          ]
        : []),
    ],
  };
}

const PATIENT_ENTITY = {
  type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1', display: 'Person' },
  role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' },
};

/**
 * The privacy officer's own search (DCM 110112 Query) or export (DCM 110106 Export) of the trail:
 * who (the user and workstation, or the OS account at the hub's command line), when, the patients
 * the filters named (resolved now, like every patient entity) and the filters themselves as the
 * query entity (base64 of the recorded JSON: ids only).
 */
function trailViewEvent(row: TrailRow, labels: TrailLabels, source: Json): Json {
  const exported = row.action === 'trail-export';
  const agent: Json[] =
    row.deviceId === null
      ? [
          {
            type: { coding: [{ system: DCM, code: '110153', display: 'Source Role ID' }] },
            who: { display: `${row.detail ?? 'unknown'} (wardline-hub audit export)` },
            name: row.detail ?? 'unknown',
            requestor: true,
          },
        ]
      : [
          ...userAgent(row, labels),
          {
            type: { coding: [{ system: DCM, code: '110150', display: 'Application' }] },
            who: { reference: `Device/${row.deviceId}` },
            requestor: false,
          },
        ];
  const patients = patientsOfFilterRecord(row.query).map((reference) => {
    const label = labels.patients.get(reference.slice('Patient/'.length));
    const display = patientDisplay(label);
    return {
      what: { reference, ...(display === undefined ? {} : { display }) },
      ...(label?.name ? { name: label.name } : {}),
      ...PATIENT_ENTITY,
    };
  });
  return {
    resourceType: 'AuditEvent',
    id: row.id,
    type: exported ? { system: DCM, code: '110106', display: 'Export' } : { system: DCM, code: '110112', display: 'Query' },
    action: exported ? 'R' : 'E',
    recorded: new Date(row.at ?? 0).toISOString(),
    outcome: '0',
    agent,
    source,
    entity: [
      ...patients,
      {
        type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2', display: 'System Object' },
        role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '24', display: 'Query' },
        description: exported ? 'wardline-hub audit export filters' : 'GET /fhir/AuditEvent filters',
        query: Buffer.from(row.query ?? '{}').toString('base64'),
      },
    ],
  };
}

/** The JSON of what a hub action acted on ({} for a row this hub did not write). */
function hubActionDetailOf(row: TrailRow): HubActionDetail {
  try {
    const detail = JSON.parse(row.query ?? '{}') as unknown;
    return typeof detail === 'object' && detail !== null ? (detail as HubActionDetail) : {};
  } catch {
    // A row this hub did not write: shown without its detail.
    return {};
  }
}

/**
 * What IT did from the hub's command line, coded per action (HUB_ACTION_CODING: DCM 110110 Patient
 * Record for documentation retried or closed, 110131 Software Configuration for a ward set up, 110129
 * Security Configuration, 110137 and 110136 for tokens, workstations, feeds and accounts): the
 * OS account that ran it, the patient if any (resolved now), the resource (version) acted on, and
 * the command with its entry and IT's reason as the entity's description.
 */
function hubActionEvent(row: TrailRow, labels: TrailLabels, source: Json): Json {
  const detail = hubActionDetailOf(row);
  // A row this hub did not write (an action it does not know) is shown as Application Activity.
  const known = (HUB_ACTIONS as readonly (string | null)[]).includes(row.action) ? (row.action as HubAction) : undefined;
  const coding = known === undefined ? undefined : HUB_ACTION_CODING[known];
  const display = row.patientId === null ? undefined : patientDisplay(labels.patients.get(row.patientId));
  const patientName = row.patientId === null ? null : (labels.patients.get(row.patientId)?.name ?? null);
  const command = `wardline-hub ${coding?.command ?? row.action ?? '?'}`;
  const account = userIdOfDetail(detail);
  const summary = known === undefined ? '' : hubActionSummary(known, detail, account === null ? undefined : labels.usernames.get(account));
  const description =
    (detail.entry === undefined ? command : `${command} entry ${String(detail.entry)}`) +
    summary +
    (typeof detail.dependents === 'number' && detail.dependents > 0 ? ` (and ${detail.dependents} refused through it)` : '') +
    (typeof detail.reason === 'string' ? `: ${detail.reason}` : '') +
    (row.action === 'ward-rename' ? ' (renamed)' : '');
  return {
    resourceType: 'AuditEvent',
    id: row.id,
    type: { system: DCM, ...(coding?.type ?? { code: '110100', display: 'Application Activity' }) },
    action: coding?.action ?? 'U',
    recorded: new Date(row.at ?? 0).toISOString(),
    outcome: '0',
    agent: [
      {
        type: { coding: [{ system: DCM, code: '110153', display: 'Source Role ID' }] },
        who: { display: `${row.detail ?? 'unknown'} (${command})` },
        name: row.detail ?? 'unknown',
        requestor: true,
      },
    ],
    source,
    entity: [
      ...(row.patientId === null
        ? []
        : [
            {
              what: { reference: `Patient/${row.patientId}`, ...(display === undefined ? {} : { display }) },
              ...(patientName === null ? {} : { name: patientName }),
              ...PATIENT_ENTITY,
            },
          ]),
      {
        ...(typeof detail.resource === 'string' ? { what: { reference: detail.resource } } : {}),
        type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2', display: 'System Object' },
        role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '4', display: 'Domain Resource' },
        description,
      },
    ],
  };
}

/** The AuditEvents of a page of rows, in the rows' order, with names resolved now. */
export async function trailEvents(db: SqlDatabase, rows: readonly TrailRow[], labels: TrailLabels): Promise<Json[]> {
  const uploadedIds = rows.filter((row) => row.source === 'workstation').map((row) => row.id);
  const uploaded = await uploadedEvents(db, uploadedIds);
  const flags = await flagsOf(db, uploadedIds);
  const reasons = await accessReasons(
    db,
    rows.filter((row) => row.source === 'hub-access').map((row) => row.id),
  );
  return rows.map((row) => {
    if (row.source !== 'workstation') return hubEvent(row, labels, reasons.get(row.id));
    const { meta: _meta, ...stored } = uploaded.get(row.id) ?? { resourceType: 'AuditEvent', id: row.id };
    const event = withLabels(stored, row, labels);
    const flagged = flags.get(row.id) ?? [];
    return {
      ...event,
      ...(flagged.length ? { meta: { tag: flagged.map((code) => ({ system: AUDIT_FLAG_SYSTEM, code })) } } : {}),
      ...(row.repeats > 1
        ? {
            extension: [
              ...((event.extension as unknown[] | undefined) ?? []),
              { url: AUDIT_REPEATS_EXTENSION_URL, valueInteger: row.repeats },
            ],
          }
        : {}),
    };
  });
}
