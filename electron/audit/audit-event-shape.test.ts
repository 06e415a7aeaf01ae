// Every AuditEvent this workstation writes stays inside the shape the hub accepts
// (shared/fhir/audit-event-shape.ts), displays included: each action, with and without a user,
// patient, query or failure, enrolled at a hub or not. An event the hub refused would never leave the
// upload queue. And the shape tells apart what a rogue sender could add: a member, or a display
// that is not the one of its code (or a fixed label).
import { describe, expect, it } from 'vitest';
import { auditEventOutsideShape, validateResource } from '../../shared/fhir/index.js';
import { AUDIT_ACTIONS, type AuditEntry } from './audit-entry.js';
import { auditEventOf } from './audit-event-mapping.js';

const HASH = 'a'.repeat(64);

/** Where `event` leaves the shape because of a member it should not have (null: nowhere). */
function memberOutsideShape(event: unknown): string | null {
  const breach = auditEventOutsideShape(event);
  return breach?.kind === 'member' ? breach.path : null;
}

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
  // Every purpose of use an entry records: break-the-glass reasons and the review of the trail (audit-view).
  { purposeOfUse: 'ETREAT' },
  { purposeOfUse: 'COC' },
  { purposeOfUse: 'HCOMPL' },
];

describe("the workstation's AuditEvents are inside the shape the hub accepts", () => {
  it.each(AUDIT_ACTIONS)('%s', (action) => {
    for (const fields of VARIANTS) {
      for (const hubDeviceId of ['dev-1', null]) {
        const event = auditEventOf(entry(action, fields), { hubDeviceId });
        expect(() => validateResource(event)).not.toThrow();
        expect(auditEventOutsideShape(event)).toBeNull();
      }
    }
  });

  it('is told apart from an event with a name or any other member it never writes, at any depth', () => {
    const event = auditEventOf(entry('chart-read', {}), { hubDeviceId: 'dev-1' });
    expect(memberOutsideShape({ ...event, name: [{ family: 'Doe' }] })).toBe('AuditEvent.name');
    expect(memberOutsideShape({ ...event, agent: [event.agent[0], { ...event.agent[1], name: 'Jane Doe' }] })).toBe(
      'AuditEvent.agent[1].name',
    );
    expect(memberOutsideShape({ ...event, source: { ...event.source, observer: { display: 'Wardline workstation', extra: {} } } })).toBe(
      'AuditEvent.source.observer.extra',
    );
    expect(memberOutsideShape({ ...event, id: { family: 'Doe' } })).toBe('AuditEvent.id');
    expect(memberOutsideShape({ ...event, meta: { versionId: [['x']] } })).toBe('AuditEvent.meta.versionId[0]');
  });

  it('never shows a member name that could carry text (a name used as a key) in its answer', () => {
    const event = auditEventOf(entry('chart-read', {}), { hubDeviceId: 'dev-1' });
    expect(memberOutsideShape({ ...event, 'Doe, Jane': true })).toBe('AuditEvent.?');
    expect(memberOutsideShape({ ...event, agent: [{ ...event.agent[0], 'Jane Doe 1970-01-01': 1 }] })).toBe('AuditEvent.agent[0].?');
  });

  it('is told apart from an event whose display is not the one of its code, or not a fixed label', () => {
    const event = auditEventOf(entry('chart-read', {}), { hubDeviceId: null });
    const display = (changed: unknown) => auditEventOutsideShape(changed);
    expect(display({ ...event, type: { ...event.type, display: 'Doe, Jane' } })).toEqual({
      path: 'AuditEvent.type.display',
      kind: 'display',
    });
    // The display of another code, or one on a code the workstation writes without any.
    expect(display({ ...event, type: { ...event.type, display: 'Login' } })).toEqual({ path: 'AuditEvent.type.display', kind: 'display' });
    expect(display({ ...event, subtype: [{ ...event.subtype![0], display: 'Read' }] })).toEqual({
      path: 'AuditEvent.subtype[0].display',
      kind: 'display',
    });
    // A code the workstation never writes carries no display at all (nor is it taken itself: below).
    expect(display({ ...event, type: { display: 'Jane Doe', system: 'urn:x', code: 'Doe' } })).toEqual({
      path: 'AuditEvent.type.display',
      kind: 'display',
    });
    expect(display({ ...event, agent: event.agent.map((agent) => ({ ...agent, who: { ...agent.who, display: 'Jane Doe' } })) })).toEqual({
      path: 'AuditEvent.agent[0].who.display',
      kind: 'display',
    });
    expect(display({ ...event, source: { ...event.source, observer: { ...event.source.observer, display: 'Ward 4B, bed 2' } } })).toEqual({
      path: 'AuditEvent.source.observer.display',
      kind: 'display',
    });
    expect(display({ ...event, entity: [{ ...event.entity![0], what: { reference: 'Patient/p-1', display: 'Doe, Jane' } }] })).toEqual({
      path: 'AuditEvent.entity[0].what.display',
      kind: 'display',
    });
    expect(display({ ...event, type: { ...event.type, display: ['User Device'] } })).toEqual({
      path: 'AuditEvent.type.display',
      kind: 'display',
    });
    // A display left out is no text at all: taken.
    expect(display({ ...event, type: { system: event.type.system, code: event.type.code } })).toBeNull();
  });

  it('is told apart from an event with a code, site, id, reference or profile the workstation never writes there', () => {
    const event = auditEventOf(entry('chart-read', {}), { hubDeviceId: null });
    const value = (changed: unknown) => auditEventOutsideShape(changed);
    const [source, server, user] = event.agent;
    const cases: [unknown, string][] = [
      // A name as a code, under a system of the table or another, with or without a display.
      [{ ...event, type: { system: 'urn:x', code: 'Doe,Jane' } }, 'AuditEvent.type.system'],
      [{ ...event, type: { ...event.type, code: 'Doe,Jane', display: undefined } }, 'AuditEvent.type.system'],
      [{ ...event, subtype: [{ system: event.subtype![0]!.system, code: 'Jane Doe' }] }, 'AuditEvent.subtype[0].system'],
      [{ ...event, agent: [{ ...source, type: { coding: [{ code: 'Jane Doe' }] } }] }, 'AuditEvent.agent[0].type.coding[0].code'],
      // A table code as a purpose of use, or a purpose that is not of the break-the-glass table.
      [{ ...event, purposeOfEvent: [{ coding: [event.type] }] }, 'AuditEvent.purposeOfEvent[0].coding[0].system'],
      [
        { ...event, purposeOfEvent: [{ coding: [{ ...event.purposeOfEvent![0]!.coding![0], code: 'DOE' }] }] },
        'AuditEvent.purposeOfEvent[0].coding[0].system',
      ],
      [{ ...event, source: { ...event.source, site: 'Jane Doe' } }, 'AuditEvent.source.site'],
      [{ ...event, agent: [source, server, { ...user, altId: 'Jane Doe' }] }, 'AuditEvent.agent[2].altId'],
      [{ ...event, agent: [source, server, { ...user, altId: ['s-1'] }] }, 'AuditEvent.agent[2].altId'],
      [
        { ...event, agent: [source, server, { ...user, who: { identifier: { ...user!.who!.identifier, value: 'Doe, Jane' } } }] },
        'AuditEvent.agent[2].who.identifier.value',
      ],
      [
        { ...event, agent: [source, server, { ...user, who: { identifier: { system: 'urn:Jane Doe', value: 'u-1' } } }] },
        'AuditEvent.agent[2].who.identifier.system',
      ],
      [{ ...event, entity: [{ ...event.entity![0], what: { reference: 'Patient/Jane Doe' } }] }, 'AuditEvent.entity[0].what.reference'],
      [{ ...event, meta: { profile: ['urn:Jane-Doe'] } }, 'AuditEvent.meta.profile'],
      [{ ...event, meta: { profile: [['x']] } }, 'AuditEvent.meta.profile'],
    ];
    for (const [changed, path] of cases) expect(value(changed), path).toEqual({ path, kind: 'value' });
    expect(value(event)).toBeNull();
  });
});
