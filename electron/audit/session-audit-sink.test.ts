// The session room's events, as a real SessionManager emits them on a fake clock, become audit
// entries: attributed, timed at the event (a timeout at its own deadline), and requestor=false
// when the workstation acted on its own.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sessionHarness, signInAs, type SessionHarness } from '../session/test-helpers.js';
import { auditEventOf } from './audit-event-mapping.js';
import { openAuditLog, type AuditLog } from './audit-log.js';
import { sessionAuditSink } from './session-audit-sink.js';
import { temporaryAuditDir, type AuditTestDir } from './test-helpers.js';

const MINUTE = 60_000;
let dir: AuditTestDir;
let log: AuditLog;
let h: SessionHarness;

beforeEach(async () => {
  dir = temporaryAuditDir('session-sink');
  log = await openAuditLog({ dataDir: dir.dir, custodian: dir.custodian });
  h = sessionHarness({ events: sessionAuditSink(log), policy: { idleTimeoutMs: 5 * MINUTE, lockedSessionTimeoutMs: 10 * MINUTE } });
});

afterEach(async () => {
  h.manager.close();
  log.close();
  await dir.remove();
});

describe('session events in the audit trail', () => {
  it("records a shift's sign-in, failed sign-in, locks, unlock, break-the-glass and timeout sign-out, in order", async () => {
    await expect(h.manager.signInOnline(' Nobody.Else ', 'guess')).rejects.toThrow();
    await signInAs(h, 'nina');
    h.manager.lock('manual');
    await h.manager.unlockWithPassword('u-nurse-1', h.hub.account('nina').password);
    h.manager.startBreakTheGlass('p-restricted', 'ETREAT', 'Collapsed in the corridor, chart needed now');
    h.manager.endBreakTheGlassOfSession('s-1', 'p-restricted');
    const idleAt = h.clock.now() + 5 * MINUTE;
    h.clock.advance(5 * MINUTE);
    h.clock.advance(10 * MINUTE);

    const entries = [...log.iterate()];
    expect(entries.map((e) => e.action)).toEqual([
      'sign-in-failed',
      'sign-in',
      'lock',
      'unlock',
      'btg-start',
      'btg-stop',
      'lock',
      'sign-out',
    ]);
    expect(entries[0]).toMatchObject({
      user: null,
      outcome: 'minor-failure',
      detail: { reason: 'bad-credentials', username: 'nobody.else' },
    });
    expect(entries[1]).toMatchObject({ user: 'u-nurse-1', session: 's-1', requestor: true, detail: { mode: 'online' } });
    expect(entries[2]).toMatchObject({ requestor: true, detail: { reason: 'manual' } });
    expect(entries[4]).toMatchObject({
      patient: 'p-restricted',
      purposeOfUse: 'ETREAT',
      detail: { reasonCode: 'ETREAT', justification: 'Collapsed in the corridor, chart needed now' },
    });
    expect(entries[5]).toMatchObject({ patient: 'p-restricted', requestor: true, detail: { reason: 'ended' } });
    expect(entries[6]).toMatchObject({ requestor: false, detail: { reason: 'idle' }, time: new Date(idleAt).toISOString() });
    expect(entries[7]).toMatchObject({
      user: 'u-nurse-1',
      requestor: false,
      detail: { reason: 'timeout' },
      time: new Date(idleAt + 10 * MINUTE).toISOString(),
    });
    expect(log.verify()).toMatchObject({ ok: true, entries: 8 });
  });

  it('maps a timeout sign-out to a DICOM Logout whose user is not the requestor', async () => {
    await signInAs(h, 'nina');
    h.manager.lock('manual');
    h.clock.advance(10 * MINUTE);
    const signOut = [...log.iterate()].find((e) => e.action === 'sign-out')!;
    const event = auditEventOf(signOut, { hubDeviceId: 'dev-1' });
    expect(event.type).toMatchObject({ code: '110114' });
    expect(event.subtype).toEqual([expect.objectContaining({ code: '110123' })]);
    const user = event.agent.find((a) => a.who?.identifier?.value === 'u-nurse-1');
    expect(user?.requestor).toBe(false);
    expect(event.agent.find((a) => a.who?.reference === 'Device/dev-1')?.requestor).toBe(true);
  });

  it('records a user switch under the new user, naming the one whose session was locked', async () => {
    await signInAs(h, 'nina');
    h.manager.switchUser();
    await signInAs(h, 'paul');
    const entries = [...log.iterate()];
    expect(entries.map((e) => [e.action, e.user])).toEqual([
      ['sign-in', 'u-nurse-1'],
      ['lock', 'u-nurse-1'],
      ['sign-in', 'u-phys-1'],
      ['user-switch', 'u-phys-1'],
    ]);
    expect(entries[1]?.detail).toEqual({ reason: 'switch' });
    expect(entries[3]).toMatchObject({ session: 's-2', detail: { fromUser: 'u-nurse-1' } });
  });
});
