// What the hub's check of an uploaded AuditEvent's shape costs (shared/fhir/audit-event-shape.ts:
// members, codes, displays, ids, references, site), per event, on the events a workstation writes for
// every action. The audit upload goal is ≥ 5,000 entries/s (audit.bench.ts), i.e. 200 µs per entry for
// everything the hub does; this check is to stay near 1 µs of it.
//   audit.shape_check_us: CPU µs per event, best of the rounds.
//   npx tsx bench/audit-event-shape.bench.ts [--json]
import { AUDIT_ACTIONS, auditEventOf, type AuditEntry } from '../electron/audit/index.js';
import { auditEventOutsideShape } from '../shared/fhir/index.js';
import { report } from './lib/report.js';

const ROUNDS = 7;
const COPIES = 2_000;

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function entryOf(action: AuditEntry['action'], sequence: number, failed: boolean): AuditEntry {
  return {
    sequence,
    time: '2026-03-02T08:00:00.000Z',
    device: 'b7c1f1f0-5f2e-4d0a-9a39-0d6f4b1c2e11',
    user: '0b8e2f6a-1c3d-4e5f-8a9b-0c1d2e3f4a5b',
    session: '5d6e7f80-9a1b-4c2d-8e3f-4a5b6c7d8e9f',
    action,
    patient: 'p-1',
    resources: ['Observation/o-1', 'Patient/p-1'],
    outcome: failed ? 'minor-failure' : 'success',
    purposeOfUse: 'TREAT',
    requestor: true,
    query: 'Encounter?location=Location/4b',
    detail: failed ? { reason: 'wrong credentials' } : { view: 'chart' },
    previousHash: 'a'.repeat(64),
    hash: 'b'.repeat(64),
  };
}

// Every action, enrolled, as the hub receives it (parsed JSON: one object graph per event).
const kinds = AUDIT_ACTIONS.flatMap((action, i) => [entryOf(action, 2 * i + 1, false), entryOf(action, 2 * i + 2, true)]).map((entry) =>
  JSON.stringify(auditEventOf(entry, { hubDeviceId: '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d' })),
);
const events: unknown[] = [];
for (let i = 0; i < COPIES; i += 1) for (const text of kinds) events.push(JSON.parse(text));

for (const event of events) {
  if (auditEventOutsideShape(event) !== null) throw new Error('a workstation event left the shape');
}
let best = Infinity;
for (let round = 0; round < ROUNDS; round += 1) {
  const start = cpuMs();
  for (let i = 0; i < events.length; i += 1) auditEventOutsideShape(events[i]);
  best = Math.min(best, ((cpuMs() - start) * 1000) / events.length);
}
report('audit.shape_check_us', best, 'µs/event', '≈ 1 µs');
