// Every AuditEvent this workstation writes stays inside the shape the hub accepts
// (shared/fhir/audit-event-shape.ts): each action, with and without a user, patient, query or
// failure, enrolled at a hub or not. An event the hub refused would never leave the upload queue.
import { describe, expect, it } from 'vitest';
import { auditEventMemberOutsideShape, validateResource } from '../../shared/fhir/index.js';
import { AUDIT_ACTIONS, type AuditEntry } from './audit-entry.js';
import { auditEventOf } from './audit-event-mapping.js';

const HASH = 'a'.repeat(64);

function entry(action: AuditEntry['action'], fields: Partial<AuditEntry>): AuditEntry {
  return {
    sequence: 7,
    time: '2026-03-02T08:00:00.000Z',
    device: 'b7c1f1f0-5f2e-4d0a-9a39-0d6f4b1c2e11',
    user: 'u-nurse-1',
    session: 's-1',
    action,
    patient: 'p-1',
    resources: ['Observation/o-1', 'Patient/p-1'],
    outcome: 'success',
    purposeOfUse: 'TREAT',
    requestor: true,
    query: 'Encounter?location=Location/4b',
    detail: { reason: 'expired', scope: 'ward', pages: 3 },
    previousHash: HASH,
    hash: HASH,
    ...fields,
  };
}

const VARIANTS: readonly Partial<AuditEntry>[] = [
  {},
  { user: null, session: null, patient: null, resources: [], purposeOfUse: null, query: null, requestor: false, detail: {} },
  { outcome: 'serious-failure', requestor: false },
];

describe("the workstation's AuditEvents are inside the shape the hub accepts", () => {
  it.each(AUDIT_ACTIONS)('%s', (action) => {
    for (const fields of VARIANTS) {
      for (const hubDeviceId of ['dev-1', null]) {
        const event = auditEventOf(entry(action, fields), { hubDeviceId });
        expect(() => validateResource(event)).not.toThrow();
        expect(auditEventMemberOutsideShape(event)).toBeNull();
      }
    }
  });

  it('is told apart from an event with a name or any other member it never writes, at any depth', () => {
    const event = auditEventOf(entry('chart-read', {}), { hubDeviceId: 'dev-1' });
    expect(auditEventMemberOutsideShape({ ...event, name: [{ family: 'Doe' }] })).toBe('AuditEvent.name');
    expect(auditEventMemberOutsideShape({ ...event, agent: [event.agent[0], { ...event.agent[1], name: 'Jane Doe' }] })).toBe(
      'AuditEvent.agent[1].name',
    );
    expect(auditEventMemberOutsideShape({ ...event, source: { ...event.source, observer: { display: 'x', extra: {} } } })).toBe(
      'AuditEvent.source.observer.extra',
    );
    expect(auditEventMemberOutsideShape({ ...event, id: { family: 'Doe' } })).toBe('AuditEvent.id');
    expect(auditEventMemberOutsideShape({ ...event, meta: { profile: [['x']] } })).toBe('AuditEvent.meta.profile[0]');
  });

  it('never shows a member name that could carry text (a name used as a key) in its answer', () => {
    const event = auditEventOf(entry('chart-read', {}), { hubDeviceId: 'dev-1' });
    expect(auditEventMemberOutsideShape({ ...event, 'Doe, Jane': true })).toBe('AuditEvent.?');
    expect(auditEventMemberOutsideShape({ ...event, agent: [{ ...event.agent[0], 'Jane Doe 1970-01-01': 1 }] })).toBe(
      'AuditEvent.agent[0].?',
    );
  });
});
