// What reaches the hub is valid FHIR R4 by an independent validator (@medplum/core), carries the
// IHE BALP elements for reads and queries and the DICOM codes for sign-in, sign-out and
// break-the-glass, and holds enough to re-verify the workstation's chain from the hub's copy alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUDIT_ACTIONS,
  AuditUploader,
  GENESIS_PREVIOUS_HASH,
  censusQueryText,
  chartReadEntry,
  deviceKeySigner,
  documentationEntry,
  entryHash,
  ipcRejectedEntry,
  openAuditLog,
  printEntry,
  printRefusedEntry,
  queryEntries,
  sessionEventEntry,
  syncEventEntries,
  wipeEntry,
  rekeyEntry,
  type AuditLog,
  type NewAuditEntry,
} from '../../electron/audit/index.js';
import { temporaryAuditDir, type AuditTestDir } from '../../electron/audit/test-helpers.js';
import type { SessionEvent } from '../../electron/session/index.js';
import { AUDIT_CHAIN_EXTENSION_URL } from '../../shared/auth/index.js';
import type { AuditEvent } from '../../shared/fhir/index.js';
import { deviceAuditTransport } from '../support/audit-transport.js';
import { startHub, type TestHub } from '../support/hub-harness.js';
import { medplumErrors } from '../support/medplum-validator.js';

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const at = Date.UTC(2026, 2, 2, 8);
const nurse = { userId: 'u-nurse-1', sessionId: 's-1', viaBreakTheGlass: false };
const sessionEvents: SessionEvent[] = [
  { type: 'sign-in-failed', at, mode: 'online', reason: 'bad-credentials', userId: null, username: 'n.smith' },
  { type: 'sign-in', at, sessionId: 's-1', userId: 'u-nurse-1', mode: 'online', outcome: 'new-session' },
  { type: 'pin-set', at, sessionId: 's-1', userId: 'u-nurse-1' },
  { type: 'lock', at, sessionId: 's-1', userId: 'u-nurse-1', reason: 'idle' },
  { type: 'unlock-failed', at, sessionId: 's-1', userId: 'u-nurse-1', method: 'pin', failures: 5 },
  { type: 'pin-lockout', at, sessionId: 's-1', userId: 'u-nurse-1' },
  { type: 'unlock', at, sessionId: 's-1', userId: 'u-nurse-1', method: 'password' },
  { type: 'switch', at, fromUserId: 'u-nurse-1', toUserId: 'u-phys-1', toSessionId: 's-2' },
  {
    type: 'btg-start',
    at,
    sessionId: 's-1',
    userId: 'u-nurse-1',
    patientId: 'p-9',
    reasonCode: 'ETREAT',
    reasonText: 'Collapsed in the corridor',
    expiresAt: at + 1_800_000,
  },
  { type: 'btg-stop', at, sessionId: 's-1', userId: 'u-nurse-1', patientId: 'p-9', reason: 'expired' },
  { type: 'offline-verifier-revoked', at, userId: 'u-nurse-2', reason: 'credentials-changed' },
  { type: 'sign-out', at, sessionId: 's-1', userId: 'u-nurse-1', reason: 'timeout', byUser: false },
];
const hostEntries: NewAuditEntry[] = [
  chartReadEntry(nurse, 'p-1', 'summary'),
  ...queryEntries(nurse, ['p-1', 'p-2'], censusQueryText('4b')),
  printEntry(nurse, 'p-1', 'mar', ['MedicationRequest/mr-1'], { scope: 'ward', pages: 3, medications: 1 }),
  printRefusedEntry(nurse, null, 'mar', 'printing is not allowed by the machine policy', { scope: 'ward' }),
  documentationEntry(nurse, 'create', 'p-1', ['Observation/o-1'], { downtime: true }),
  documentationEntry(nurse, 'update', 'p-1', ['MedicationAdministration/ma-1'], { downtime: true }),
  ...syncEventEntries({ kind: 'pin-mismatch', host: 'hub.example', presentedPin: 'sha256/AAAA' }),
  ...syncEventEntries({ kind: 'device-refused', clientId: 'dev-x', code: 'DEVICE_REVOKED' }),
  ...syncEventEntries({ kind: 'enrollment', clientId: 'dev-x', ward: '4b', hubUrl: 'https://hub.example' }),
  ...syncEventEntries({ kind: 'purge', patientIds: ['p-7', 'p-8'], resources: 120 }),
  wipeEntry('cli', 'started'),
  wipeEntry('cli', 'ended'),
  rekeyEntry('host', 'started'),
  rekeyEntry('host', 'ended', { vault: true, audit: true }),
  ipcRejectedEntry('chart:summary', 'schema'),
  { action: 'audit-view', user: 'u-admin-1', session: 's-3', patient: 'p-1', purposeOfUse: 'HCOMPL' },
  { action: 'audit-export', detail: { by: 'cli', format: 'fhir' } },
];

let hub: TestHub;
let dir: AuditTestDir;
let log: AuditLog;
let held: AuditEvent[];
let clientId: string;

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite' });
  dir = temporaryAuditDir('fhir');
  log = await openAuditLog({ dataDir: dir.dir, custodian: dir.custodian, now: () => at });
  log.recordAll([...sessionEvents.map(sessionEventEntry), ...hostEntries]);
  const device = await hub.enrollDevice('a');
  clientId = device.clientId;
  const report = await new AuditUploader({
    log,
    transport: deviceAuditTransport(device),
    deviceId: device.clientId,
    signer: deviceKeySigner(device.privateKey),
  }).upload();
  expect(report).toMatchObject({ refused: 0, remaining: 0 });
  const rows = await hub.db.query<{ resource: string; sequence: unknown }>(
    'SELECT resource, sequence FROM audit_events WHERE device_id = $1 ORDER BY sequence',
    [device.clientId],
  );
  held = rows.map((r) => JSON.parse(r.resource) as AuditEvent);
});

afterAll(async () => {
  log?.close();
  await dir?.remove();
  await hub?.stop();
});

const coding = (event: AuditEvent, what: 'type' | 'subtype') => (what === 'type' ? event.type : event.subtype?.[0]);
const decodedEntry = (event: AuditEvent) => {
  const chain = event.extension?.find((e) => e.url === AUDIT_CHAIN_EXTENSION_URL)?.extension ?? [];
  const part = (url: string) => chain.find((e) => e.url === url);
  return {
    sequence: part('sequence')?.valueInteger,
    previousHash: part('previousHash')?.valueString,
    hash: part('hash')?.valueString,
    json: Buffer.from(part('entry')?.valueBase64Binary ?? '', 'base64').toString('utf8'),
  };
};
const actionOf = (event: AuditEvent) => (JSON.parse(decodedEntry(event).json) as { action: string }).action;
const byAction = (action: string) => held.filter((e) => actionOf(e) === action);

describe('AuditEvents as the hub holds them', () => {
  it('covers every kind of entry, each stored once', () => {
    expect(held).toHaveLength(sessionEvents.length + hostEntries.length);
    expect(new Set(held.map(actionOf))).toEqual(new Set(AUDIT_ACTIONS));
  });

  it('are valid FHIR R4 according to @medplum/core', () => {
    const problems = held.flatMap((event) => medplumErrors(event).map((p) => `${actionOf(event)}: ${p}`));
    expect(problems).toEqual([]);
  });

  it('shape a chart read as IHE BALP PatientRead: client, server and user agents, data and patient entities', () => {
    const [read] = byAction('chart-read');
    expect(read?.meta?.profile).toEqual(['https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientRead']);
    expect(read).toMatchObject({ type: { code: 'rest' }, subtype: [{ code: 'read' }], action: 'R', outcome: '0' });
    expect(read!.agent.map((a) => a.type?.coding?.[0]?.code)).toEqual(['110153', '110152', 'IRCP']);
    expect(read!.agent[0]!.who?.reference).toBe(`Device/${clientId}`);
    expect(read!.agent[2]).toMatchObject({ requestor: true, who: { identifier: { value: 'u-nurse-1' } }, altId: 's-1' });
    expect(read!.purposeOfEvent).toEqual([{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT' }] }]);
    expect(read!.entity).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          what: { reference: 'Patient/p-1' },
          type: expect.objectContaining({ code: '2' }),
          role: expect.objectContaining({ code: '4' }),
        }),
        expect.objectContaining({
          what: { reference: 'Patient/p-1' },
          type: expect.objectContaining({ code: '1' }),
          role: expect.objectContaining({ code: '1' }),
        }),
      ]),
    );
    expect(read!.source.observer.reference).toBe(`Device/${clientId}`);
  });

  it('shape a census as IHE BALP PatientQuery, one event per patient, with the query base64-encoded', () => {
    const queries = byAction('query');
    expect(queries.map((q) => q.entity?.find((e) => e.role?.code === '1')?.what?.reference)).toEqual(['Patient/p-1', 'Patient/p-2']);
    for (const query of queries) {
      expect(query).toMatchObject({ type: { code: 'rest' }, subtype: [{ code: 'search-type' }], action: 'E' });
      expect(query.meta?.profile).toEqual(['https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientQuery']);
      const queryEntity = query.entity?.find((e) => e.role?.code === '24');
      expect(queryEntity?.type?.code).toBe('2');
      expect(Buffer.from(queryEntity!.query!, 'base64').toString('utf8')).toBe(censusQueryText('4b'));
    }
  });

  it('code sign-in and sign-out as DICOM User Authentication, a timeout sign-out without the user as requestor', () => {
    for (const [action, subtype] of [
      ['sign-in', '110122'],
      ['sign-in-failed', '110122'],
      ['sign-out', '110123'],
    ] as const) {
      const [event] = byAction(action);
      expect(coding(event!, 'type')).toMatchObject({ system: DCM, code: '110114' });
      expect(coding(event!, 'subtype')).toMatchObject({ system: DCM, code: subtype });
    }
    expect(byAction('sign-in-failed')[0]?.outcome).toBe('4');
    const signOut = byAction('sign-out')[0]!;
    expect(signOut.agent.find((a) => a.who?.identifier?.value === 'u-nurse-1')?.requestor).toBe(false);
  });

  it('code break-the-glass as a DICOM Security Alert, started and stopped, with the emergency purpose', () => {
    const [start] = byAction('btg-start');
    const [stop] = byAction('btg-stop');
    expect([coding(start!, 'type')?.code, coding(start!, 'subtype')?.code]).toEqual(['110113', '110127']);
    expect([coding(stop!, 'type')?.code, coding(stop!, 'subtype')?.code]).toEqual(['110113', '110138']);
    expect(start?.purposeOfEvent).toEqual([{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'ETREAT' }] }]);
    expect(start?.entity?.find((e) => e.role?.code === '1')?.what?.reference).toBe('Patient/p-9');
  });

  it("carry the chain, so the hub's copy re-verifies without the workstation", () => {
    let previous = GENESIS_PREVIOUS_HASH;
    held.forEach((event, index) => {
      const entry = decodedEntry(event);
      expect(entry.sequence).toBe(index + 1);
      expect(entry.previousHash).toBe(previous);
      expect(entryHash(previous, entry.json)).toBe(entry.hash);
      previous = entry.hash!;
    });
    expect(previous).toBe(log.head().hash);
  });
});
