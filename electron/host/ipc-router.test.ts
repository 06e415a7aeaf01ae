import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { SessionError } from '../session/index.js';
import { VaultError } from '../vault/index.js';
import { createIpcRouter, printableChannel, type IpcRejection, type IpcRouterOptions } from './ipc-router.js';
import { APP_SENDER, recordingHandlers, SIGNED_OUT_SNAPSHOT } from './test-helpers.js';
import type { SenderInfo } from './transport.js';

function router(overrides: Partial<IpcRouterOptions> = {}) {
  const { handlers, calls } = recordingHandlers();
  const audited: IpcRejection[] = [];
  const isTrusted = (sender: SenderInfo): boolean =>
    sender.frameUrl === APP_SENDER.frameUrl && sender.isMainFrame && sender.contentsId === 1;
  const r = createIpcRouter({
    handlers,
    isTrustedSender: isTrusted,
    authorize: () => null,
    audit: (rejection) => audited.push(rejection),
    logger: pino({ level: 'silent' }),
    ...overrides,
  });
  return { r, calls, audited };
}

describe('the IPC router', () => {
  it('dispatches a well-formed request from the app window to its handler', async () => {
    const { r, calls, audited } = router();
    const reply = await r.handle({ sender: APP_SENDER, message: { channel: 'chart:summary', request: { patientId: 'p-1' } } });
    expect(reply).toEqual({ ok: true, value: null });
    expect(calls).toEqual([{ channel: 'chart:summary', request: { patientId: 'p-1' } }]);
    expect(audited).toEqual([]);
  });

  it('refuses and audits a request from an iframe, another page or another origin, without running anything', async () => {
    const { r, calls, audited } = router();
    const senders: SenderInfo[] = [
      { ...APP_SENDER, isMainFrame: false },
      { ...APP_SENDER, contentsId: 2 },
      { ...APP_SENDER, frameUrl: 'https://evil.example/' },
      { ...APP_SENDER, frameUrl: null },
    ];
    for (const sender of senders) {
      expect(await r.handle({ sender, message: { channel: 'session:state', request: {} } })).toMatchObject({
        ok: false,
        error: { code: 'REJECTED' },
      });
    }
    expect(calls).toEqual([]);
    expect(audited).toEqual(senders.map(() => ({ channel: 'session:state', reason: 'untrusted-sender' })));
  });

  it('refuses and audits an unknown channel, a malformed message and a request that breaks its schema', async () => {
    const { r, calls, audited } = router();
    const messages = [
      { channel: 'vault:export', request: {} },
      { channel: 'constructor', request: {} },
      'session:state',
      { channel: 42, request: {} },
      { channel: 'chart:summary', request: { patientId: 'p-1', sql: 'DROP TABLE resources' } },
      { channel: 'chart:trend', request: { patientId: 'p-1', code: '8867-4', from: 'yesterday', to: 'today' } },
      { channel: 'session:lock' },
    ];
    for (const message of messages)
      expect(await r.handle({ sender: APP_SENDER, message })).toMatchObject({ ok: false, error: { code: 'REJECTED' } });
    expect(calls).toEqual([]);
    expect(audited.map((a) => a.reason)).toEqual([
      'unknown-channel',
      'unknown-channel',
      'malformed-message',
      'malformed-message',
      'invalid-request',
      'invalid-request',
      'malformed-message',
    ]);
    expect(audited[3]!.channel).toBe('(number)');
  });

  it('never writes the request into the audit trail (it may hold a password)', async () => {
    const { r, audited } = router();
    await r.handle({
      sender: APP_SENDER,
      message: { channel: 'session:sign-in', request: { username: 'nina', password: 'hunter2-secret', role: 'admin' } },
    });
    expect(JSON.stringify(audited)).not.toContain('hunter2-secret');
    expect(audited).toEqual([{ channel: 'session:sign-in', reason: 'invalid-request' }]);
  });

  it('answers a session refusal with its code and message, without running the handler', async () => {
    const { r, calls, audited } = router({
      authorize: (permission) => {
        if (permission === 'public') return null;
        throw new SessionError('LOCKED', 'The workstation is locked. Unlock it to continue.');
      },
    });
    expect(await r.handle({ sender: APP_SENDER, message: { channel: 'chart:census', request: {} } })).toEqual({
      ok: false,
      error: { code: 'LOCKED', message: 'The workstation is locked. Unlock it to continue.' },
    });
    expect(await r.handle({ sender: APP_SENDER, message: { channel: 'session:state', request: {} } })).toEqual({
      ok: true,
      value: SIGNED_OUT_SNAPSHOT,
    });
    expect(calls.map((c) => c.channel)).toEqual(['session:state']);
    expect(audited).toEqual([]);
  });

  it('strips fields the contract does not declare from an answer, and hides an answer that breaks it', async () => {
    const { handlers } = recordingHandlers();
    const leaky = { ...handlers, 'session:state': () => ({ ...SIGNED_OUT_SNAPSHOT, vaultKey: 'deadbeef' }) } as typeof handlers;
    const { r } = router({ handlers: leaky });
    const reply = await r.handle({ sender: APP_SENDER, message: { channel: 'session:state', request: {} } });
    expect(reply).toEqual({ ok: true, value: SIGNED_OUT_SNAPSHOT });
    const broken = { ...handlers, 'chart:census': () => [{ patientId: 'p-1' }] } as unknown as typeof handlers;
    const { r: r2 } = router({ handlers: broken });
    expect(await r2.handle({ sender: APP_SENDER, message: { channel: 'chart:census', request: {} } })).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
  });

  it("does not pass an unexpected error's message to the window", async () => {
    const { handlers } = recordingHandlers();
    const failing = {
      ...handlers,
      'chart:census': () => {
        throw new Error('SQLITE_CORRUPT at /home/nurse/.config/Wardline/vault.db');
      },
    } as typeof handlers;
    const { r } = router({ handlers: failing });
    const reply = await r.handle({ sender: APP_SENDER, message: { channel: 'chart:census', request: {} } });
    expect(reply).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(reply)).not.toContain('vault.db');
  });

  it('answers a SQLite failure with one plain sentence and INTERNAL, and logs its class and code for IT without the message', async () => {
    class SqliteError extends Error {
      override readonly name = 'SqliteError';
      readonly code = 'SQLITE_CONSTRAINT_UNIQUE';
    }
    const { handlers } = recordingHandlers();
    const failing = {
      ...handlers,
      'chart:census': () => {
        throw new SqliteError('UNIQUE constraint failed: patients.mrn = MRN0001234 (Jane Synthetic-Doe)');
      },
    } as typeof handlers;
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const { r } = router({ handlers: failing, logger });
    const reply = await r.handle({ sender: APP_SENDER, message: { channel: 'chart:census', request: {} } });
    expect(reply).toEqual({
      ok: false,
      error: {
        code: 'INTERNAL',
        message: 'Something went wrong on this workstation; try again, and call IT if it keeps happening. (INTERNAL)',
      },
    });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      event: 'ipc.handler_failed',
      channel: 'chart:census',
      errorClass: 'SqliteError',
      errorCode: 'SQLITE_CONSTRAINT_UNIQUE',
    });
    expect(lines[0]).not.toMatch(/MRN0001234|Jane|UNIQUE constraint/);
  });

  it("answers a room's error thrown by a handler with its own code and message", async () => {
    const { handlers } = recordingHandlers();
    const failing = {
      ...handlers,
      'chart:summary': () => {
        throw new VaultError('CLOSED', 'The chart cache is closed. Sign in again to reopen it.');
      },
    } as typeof handlers;
    const { r } = router({ handlers: failing });
    expect(await r.handle({ sender: APP_SENDER, message: { channel: 'chart:summary', request: { patientId: 'p-1' } } })).toEqual({
      ok: false,
      error: { code: 'CLOSED', message: 'The chart cache is closed. Sign in again to reopen it.' },
    });
  });

  it('does not trust an error that merely looks like a room error (a name ending in Error and a code)', async () => {
    const { handlers } = recordingHandlers();
    const impostor = Object.assign(new Error('/home/nurse/.config/Wardline/vault.db is locked'), { name: 'SessionError', code: 'LOCKED' });
    const failing = {
      ...handlers,
      'chart:census': () => {
        throw impostor;
      },
    } as typeof handlers;
    const { r } = router({ handlers: failing });
    const reply = await r.handle({ sender: APP_SENDER, message: { channel: 'chart:census', request: {} } });
    expect(reply).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(reply)).not.toContain('vault.db');
  });

  it('drops an answer when the workstation locked while it was being prepared', async () => {
    let generation = 1;
    const { handlers } = recordingHandlers();
    const slow = {
      ...handlers,
      'chart:census': async () => {
        generation += 1;
        return [];
      },
    } as typeof handlers;
    const { r } = router({ handlers: slow, servingGeneration: () => generation, authorize: () => ({ sessionId: 's-1', userId: 'u-1' }) });
    expect(await r.handle({ sender: APP_SENDER, message: { channel: 'chart:census', request: {} } })).toMatchObject({
      ok: false,
      error: { code: 'LOCKED' },
    });
  });

  it('answers the lock itself even though locking stops serving patient data', async () => {
    let generation = 1;
    const { handlers } = recordingHandlers();
    const locking = {
      ...handlers,
      'session:lock': async () => {
        generation += 1;
        return { status: 'locked', active: null, locked: [], lastEnded: null };
      },
    } as typeof handlers;
    const { r } = router({
      handlers: locking,
      servingGeneration: () => generation,
      authorize: () => ({ sessionId: 's-1', userId: 'u-1' }),
    });
    expect(await r.handle({ sender: APP_SENDER, message: { channel: 'session:lock', request: {} } })).toMatchObject({
      ok: true,
      value: { status: 'locked' },
    });
  });

  it('still refuses when the audit trail cannot record the refusal', async () => {
    const { r, calls } = router({
      audit: () => {
        throw new Error('disk full');
      },
    });
    expect(await r.handle({ sender: { ...APP_SENDER, contentsId: 9 }, message: { channel: 'session:state', request: {} } })).toMatchObject({
      ok: false,
      error: { code: 'REJECTED' },
    });
    expect(calls).toEqual([]);
  });

  it('keeps channel names in the trail printable and short', () => {
    expect(printableChannel('chart:\u0000\u202esummary')).toBe('chart:??summary');
    expect(printableChannel('x'.repeat(500))).toHaveLength(100);
    expect(printableChannel(undefined)).toBe('(undefined)');
  });
});
