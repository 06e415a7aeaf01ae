// An audit entry as a FHIR R4 AuditEvent, the form uploaded to the hub and exported for the privacy
// officer. Reads, queries, creates and updates follow the IHE BALP patient patterns (client,
// server and user agents; patient and data/query entities, the query base64-encoded); sign-in and
// sign-out are DICOM User Authentication (Login / Logout); break-the-glass, PIN lockout and pin
// mismatches are DICOM Security Alerts. Every event carries the audit-chain extension (sequence,
// previous hash, hash) and, inside it, the hashed entry itself (base64 of its canonical JSON), so
// the hub's copy can be re-verified without the workstation. Deterministic: the same entry always
// maps to the same resource, so a re-upload compares equal at the hub. Kept lean (the hub stores
// and hashes every event): who the session was is the user agent's altId and is in the entry.
import { AUDIT_CHAIN_EXTENSION_URL } from '../../shared/auth/index.js';
import {
  AUDIT_AGENT_LABELS,
  AUDIT_CODES as CODES,
  AUDIT_SOURCE_SITE,
  auditOutcomeDescriptionOf,
  type AuditEvent,
  type Coding,
} from '../../shared/fhir/index.js';
import type { AuditAction, AuditEntry, AuditOutcome } from './audit-entry.js';
import { auditEventIdOf } from './audit-event-id.js';
import { ACT_REASON, BALP, WARDLINE_USER_SYSTEM, WARDLINE_WORKSTATION_SYSTEM } from './audit-codes.js';
import { canonicalJson } from '../../shared/json/index.js';

type Pattern = 'read' | 'query' | 'write' | 'event';

interface ActionShape {
  readonly pattern: Pattern;
  readonly type: Coding;
  readonly subtype: Coding;
  readonly action: NonNullable<AuditEvent['action']>;
  readonly profile?: string;
}

const SHAPES: Readonly<Record<AuditAction, ActionShape>> = {
  'chart-read': { pattern: 'read', type: CODES.restType, subtype: CODES.read, action: 'R', profile: BALP.patientRead },
  query: { pattern: 'query', type: CODES.restType, subtype: CODES.searchType, action: 'E', profile: BALP.patientQuery },
  create: { pattern: 'write', type: CODES.restType, subtype: CODES.create, action: 'C', profile: BALP.patientCreate },
  update: { pattern: 'write', type: CODES.restType, subtype: CODES.update, action: 'U', profile: BALP.patientUpdate },
  print: { pattern: 'event', type: CODES.export, subtype: CODES.print, action: 'R' },
  'sign-in': { pattern: 'event', type: CODES.userAuthentication, subtype: CODES.login, action: 'E' },
  'sign-in-failed': { pattern: 'event', type: CODES.userAuthentication, subtype: CODES.login, action: 'E' },
  'sign-out': { pattern: 'event', type: CODES.userAuthentication, subtype: CODES.logout, action: 'E' },
  lock: { pattern: 'event', type: CODES.userAuthentication, subtype: CODES.lock, action: 'E' },
  unlock: { pattern: 'event', type: CODES.userAuthentication, subtype: CODES.unlock, action: 'E' },
  'unlock-failed': { pattern: 'event', type: CODES.userAuthentication, subtype: CODES.unlock, action: 'E' },
  'user-switch': { pattern: 'event', type: CODES.userAuthentication, subtype: CODES.userSwitch, action: 'E' },
  'pin-set': { pattern: 'event', type: CODES.securityAlert, subtype: CODES.userSecurityAttributesChanged, action: 'U' },
  'pin-lockout': { pattern: 'event', type: CODES.securityAlert, subtype: CODES.pinLockout, action: 'E' },
  'verifier-revoked': { pattern: 'event', type: CODES.securityAlert, subtype: CODES.userSecurityAttributesChanged, action: 'D' },
  'btg-start': { pattern: 'event', type: CODES.securityAlert, subtype: CODES.emergencyOverrideStarted, action: 'E' },
  'btg-stop': { pattern: 'event', type: CODES.securityAlert, subtype: CODES.emergencyOverrideStopped, action: 'E' },
  purge: { pattern: 'event', type: CODES.applicationActivity, subtype: CODES.purge, action: 'D' },
  enrollment: { pattern: 'event', type: CODES.applicationActivity, subtype: CODES.enrollment, action: 'E' },
  wipe: { pattern: 'event', type: CODES.applicationActivity, subtype: CODES.wipe, action: 'D' },
  rekey: { pattern: 'event', type: CODES.securityAlert, subtype: CODES.rekey, action: 'U' },
  'pin-mismatch': { pattern: 'event', type: CODES.securityAlert, subtype: CODES.nodeAuthentication, action: 'E' },
  'device-refused': { pattern: 'event', type: CODES.securityAlert, subtype: CODES.nodeAuthentication, action: 'E' },
  'ipc-rejected': { pattern: 'event', type: CODES.securityAlert, subtype: CODES.ipcRejected, action: 'E' },
  'audit-view': { pattern: 'event', type: CODES.auditLogUsed, subtype: CODES.auditLogUsed, action: 'R' },
  'audit-export': { pattern: 'event', type: CODES.auditLogUsed, subtype: CODES.auditExport, action: 'R' },
};

const OUTCOME_CODES: Readonly<Record<AuditOutcome, NonNullable<AuditEvent['outcome']>>> = {
  success: '0',
  'minor-failure': '4',
  'serious-failure': '8',
  'major-failure': '12',
};

type Agent = AuditEvent['agent'][number];
type Entity = NonNullable<AuditEvent['entity']>[number];

/** Where the entry was observed: the hub's id for this workstation (Device/{id}), when enrolled. */
export interface AuditEventSource {
  readonly hubDeviceId: string | null;
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

function purposeOf(entry: AuditEntry): AuditEvent['purposeOfEvent'] {
  return entry.purposeOfUse === null ? undefined : [{ coding: [{ system: ACT_REASON, code: entry.purposeOfUse }] }];
}

/** This workstation: the hub's Device when enrolled, else its audit-log id. */
function deviceReference(entry: AuditEntry, source: AuditEventSource): NonNullable<Agent['who']> {
  return source.hubDeviceId === null
    ? { identifier: { system: WARDLINE_WORKSTATION_SYSTEM, value: entry.device }, display: AUDIT_AGENT_LABELS.workstation }
    : { reference: `Device/${source.hubDeviceId}` };
}

function userAgent(entry: AuditEntry, pattern: Pattern): Agent | null {
  if (entry.user === null) return null;
  const type =
    pattern === 'read' || pattern === 'query' ? CODES.informationRecipient : pattern === 'write' ? CODES.author : CODES.humanUser;
  return {
    type: { coding: [type] },
    who: { identifier: { system: WARDLINE_USER_SYSTEM, value: entry.user } },
    ...(entry.session === null ? {} : { altId: entry.session }),
    requestor: entry.requestor,
  };
}

function agentsOf(entry: AuditEntry, shape: ActionShape, source: AuditEventSource): Agent[] {
  const user = userAgent(entry, shape.pattern);
  // The workstation acted on its own when no user asked for it (an idle timeout, a purge).
  const deviceIsRequestor = user === null || !entry.requestor;
  const device = deviceReference(entry, source);
  const agents: Agent[] = [];
  if (shape.pattern === 'event') {
    agents.push({ type: { coding: [CODES.application] }, who: device, requestor: deviceIsRequestor });
  } else {
    // BALP: the client is the Source Role ID, the server the Destination Role ID. Here both are
    // this workstation: the application (client) and its encrypted chart cache (server).
    agents.push({ type: { coding: [CODES.sourceRole] }, who: device, requestor: deviceIsRequestor });
    agents.push({ type: { coding: [CODES.destinationRole] }, who: { display: AUDIT_AGENT_LABELS.chartCache }, requestor: false });
  }
  if (user !== null) agents.push(user);
  return agents;
}

function entitiesOf(entry: AuditEntry, shape: ActionShape): Entity[] {
  const entities: Entity[] = [];
  if (shape.pattern === 'query' && entry.query !== null) {
    entities.push({ type: CODES.entitySystemObject, role: CODES.roleQuery, query: base64(entry.query) });
  }
  if (shape.pattern !== 'query') {
    for (const reference of entry.resources) {
      if (reference === `Patient/${entry.patient}` && shape.pattern === 'event') continue;
      entities.push({ what: { reference }, type: CODES.entitySystemObject, role: CODES.roleDomainResource });
    }
  }
  if (entry.patient !== null) {
    entities.push({ what: { reference: `Patient/${entry.patient}` }, type: CODES.entityPerson, role: CODES.rolePatient });
  }
  return entities;
}

/**
 * The AuditEvent for `entry`; its id is auditEventIdOf(entry.device, entry.sequence). `bodyJson` is
 * the body's canonical JSON when the caller holds it already (the log stores the text it hashed).
 */
export function auditEventOf(entry: AuditEntry, source: AuditEventSource, bodyJson?: string): AuditEvent {
  const shape = SHAPES[entry.action];
  const { previousHash, hash, ...body } = entry;
  const outcomeDesc = auditOutcomeDescriptionOf(entry);
  const purposeOfEvent = purposeOf(entry);
  const entity = entitiesOf(entry, shape);
  return {
    resourceType: 'AuditEvent',
    id: auditEventIdOf(entry.device, entry.sequence),
    ...(shape.profile === undefined ? {} : { meta: { profile: [shape.profile] } }),
    extension: [
      {
        url: AUDIT_CHAIN_EXTENSION_URL,
        extension: [
          { url: 'sequence', valueInteger: entry.sequence },
          { url: 'previousHash', valueString: previousHash },
          { url: 'hash', valueString: hash },
          { url: 'entry', valueBase64Binary: base64(bodyJson ?? canonicalJson(body)) },
        ],
      },
    ],
    type: shape.type,
    subtype: [shape.subtype],
    action: shape.action,
    recorded: entry.time,
    outcome: OUTCOME_CODES[entry.outcome],
    ...(outcomeDesc === undefined ? {} : { outcomeDesc }),
    ...(purposeOfEvent === undefined ? {} : { purposeOfEvent }),
    agent: agentsOf(entry, shape, source),
    source: {
      site: AUDIT_SOURCE_SITE,
      observer: { ...deviceReference(entry, source), identifier: { system: WARDLINE_WORKSTATION_SYSTEM, value: entry.device } },
      type: [CODES.userDevice],
    },
    ...(entity.length === 0 ? {} : { entity }),
  };
}
