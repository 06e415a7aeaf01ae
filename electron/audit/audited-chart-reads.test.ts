// Every chart read the host serves writes its audit entries before the data comes back: the
// census one query entry per patient it newly shows the user in a session (refreshes that show the
// same patients write nothing), a summary, trend or MAR one read entry; and when the
// audit trail cannot be written, no data comes back at all.
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateWard, type SyntheticWard } from '../../shared/synthetic/index.js';
import type { UserContext } from '../session/index.js';
import { createVault, wipeVault, type Vault } from '../vault/index.js';
import { openAuditLog, type AuditLog } from './audit-log.js';
import { auditedChartReads, censusQueryText, type AuditedChartReads } from './audited-chart-reads.js';
import { temporaryAuditDir, type AuditTestDir } from './test-helpers.js';

const NOW = '2026-01-15T08:00:00Z';
let dir: AuditTestDir;
let ward: SyntheticWard;
let vault: Vault;
let log: AuditLog;
let reads: AuditedChartReads;
const logLines: string[] = [];

const nurse: UserContext = {
  sessionId: 's-1',
  userId: 'u-nurse-1',
  username: 'nina',
  role: 'nurse',
  scope: ['4b'],
  workstationWard: '4b',
  viaBreakTheGlass: false,
};

beforeAll(async () => {
  dir = temporaryAuditDir('chart-reads');
  ward = generateWard({ seed: 'audited-reads', patients: 6, days: 2, ward: { id: '4b', name: 'Ward 4B' }, now: NOW });
  vault = await createVault({ dataDir: dir.dir, custodian: dir.custodian, ward: ward.location.id! });
  vault.resources.upsertMany(ward.resources);
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  log = await openAuditLog({ dataDir: dir.dir, custodian: dir.custodian, logger });
  reads = auditedChartReads(vault, log);
});

afterAll(async () => {
  log.close();
  vault.close();
  await wipeVault({ dataDir: dir.dir, custodian: dir.custodian });
  await dir.remove();
});

let before = 0;
beforeEach(() => {
  before = log.head().sequence;
});
const written = () => log.find({ afterSequence: before, limit: 1000 });

describe('audited chart reads', () => {
  it('writes one query entry per patient the census lists, with the census query, attributed to the nurse', () => {
    const census = reads.census(nurse);
    expect(census.length).toBeGreaterThan(0);
    const entries = written();
    expect(entries.map((e) => e.patient)).toEqual(census.map((c) => c.patientId));
    for (const entry of entries) {
      expect(entry).toMatchObject({
        action: 'query',
        user: 'u-nurse-1',
        session: 's-1',
        purposeOfUse: 'TREAT',
        query: censusQueryText('4b'),
      });
    }
  });

  it('records nothing for background refreshes showing the same patients, and one entry for a patient newly listed', () => {
    const first = reads.census(nurse);
    before = log.head().sequence;
    for (let refresh = 0; refresh < 5; refresh++) expect(reads.census(nurse)).toEqual(first);
    expect(written()).toEqual([]);

    const admitted = generateWard({ seed: 'audited-reads-admission', patients: 1, days: 1, ward: { id: '4b', name: 'Ward 4B' }, now: NOW });
    const newcomer = admitted.patients[0]!.patient.id!;
    expect(first.map((c) => c.patientId)).not.toContain(newcomer);
    vault.resources.upsertMany(admitted.resources);
    const census = reads.census(nurse);
    expect(census.map((c) => c.patientId)).toContain(newcomer);
    expect(written()).toEqual([
      expect.objectContaining({
        action: 'query',
        patient: newcomer,
        user: 'u-nurse-1',
        session: 's-1',
        query: censusQueryText('4b'),
        detail: { view: 'census', results: census.length },
      }),
    ]);
    before = log.head().sequence;
    reads.census(nurse);
    expect(written()).toEqual([]);

    // Another session (the same nurse signed in again) or another user sees the whole list once.
    reads.census({ ...nurse, sessionId: 's-2' });
    expect(written().map((e) => e.patient)).toEqual(census.map((c) => c.patientId));
    before = log.head().sequence;
    reads.census({ ...nurse, userId: 'u-nurse-2', sessionId: 's-3' });
    expect(written().map((e) => [e.user, e.patient])).toEqual(census.map((c) => ['u-nurse-2', c.patientId]));
  });

  it('writes exactly one read entry for a chart summary, a trend and a MAR', () => {
    const patientId = reads.census(nurse)[0]!.patientId;
    before = log.head().sequence;
    expect(reads.patientSummary(nurse, patientId)?.patient.id).toBe(patientId);
    reads.observationTrend(nurse, patientId, '8867-4', '2026-01-13T00:00:00Z', NOW);
    reads.medicationAdministrationRecord(nurse, patientId, '2026-01-14T00:00:00Z', NOW);
    const entries = written();
    expect(entries.map((e) => [e.action, e.patient, e.detail.view])).toEqual([
      ['chart-read', patientId, 'summary'],
      ['chart-read', patientId, 'trend'],
      ['chart-read', patientId, 'mar'],
    ]);
  });

  it('records emergency access as such when the guard granted it through break-the-glass', () => {
    const patientId = ward.patients[0]!.patient.id!;
    reads.patientSummary({ ...nurse, viaBreakTheGlass: true }, patientId);
    expect(written()).toEqual([expect.objectContaining({ action: 'chart-read', patient: patientId, purposeOfUse: 'ETREAT' })]);
  });

  it('records a look-up of a patient who is not cached as a failed read', () => {
    expect(reads.patientSummary(nurse, 'not-here')).toBeNull();
    expect(written()).toEqual([expect.objectContaining({ action: 'chart-read', patient: 'not-here', outcome: 'minor-failure' })]);
  });

  it('shows nothing when the audit trail cannot be written', async () => {
    const closedLog = await openAuditLog({ dataDir: dir.dir, custodian: dir.custodian });
    closedLog.close();
    const unaudited = auditedChartReads(vault, closedLog);
    const patientId = ward.patients[0]!.patient.id!;
    expect(() => unaudited.census(nurse)).toThrow(expect.objectContaining({ code: 'CLOSED' }));
    expect(() => unaudited.patientSummary(nurse, patientId)).toThrow(expect.objectContaining({ code: 'CLOSED' }));
    expect(() => unaudited.observationTrend(nurse, patientId, '8867-4', '2026-01-13T00:00:00Z', NOW)).toThrow(
      expect.objectContaining({ code: 'CLOSED' }),
    );
    expect(() => unaudited.medicationAdministrationRecord(nurse, patientId, '2026-01-14T00:00:00Z', NOW)).toThrow(
      expect.objectContaining({ code: 'CLOSED' }),
    );
  });

  it('keeps patient names, birth dates and MRNs out of the audit entries and the log', () => {
    for (const entry of reads.census(nurse)) {
      reads.patientSummary(nurse, entry.patientId);
      reads.medicationAdministrationRecord(nurse, entry.patientId, '2026-01-14T00:00:00Z', NOW);
    }
    const identifying = ward.patients
      .flatMap(({ patient }) => [
        ...(patient.name ?? []).flatMap((n) => [n.family ?? '', ...(n.given ?? [])]),
        patient.birthDate ?? '',
        ...(patient.identifier ?? []).map((i) => i.value ?? ''),
      ])
      .filter((text) => text.length >= 4);
    expect(identifying.length).toBeGreaterThan(ward.patients.length * 2);
    const recorded = JSON.stringify([...log.iterate()]);
    const logged = logLines.join('');
    expect(recorded).toContain(ward.patients[0]!.patient.id!);
    expect(identifying.filter((text) => recorded.includes(text) || logged.includes(text))).toEqual([]);
  });
});
