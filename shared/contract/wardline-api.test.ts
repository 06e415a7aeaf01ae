import { describe, expect, it } from 'vitest';
import { CHANNEL_NAME_PATTERN, defineChannel } from './channel.js';
import { EVENT_CHANNELS, INVOKE_CHANNELS, eventChannelNames, invokeChannel, invokeChannelNames } from './contract.js';
import { IPC_EVENT, type InvokeMessage } from './ipc-envelope.js';
import { apiMethodOf, createWardlineApi, type ApiTransport, type WardlineApi } from './wardline-api.js';
import { z } from 'zod';

/** An in-memory transport: records what the API sends, answers with what the test sets, delivers events by hand. */
function scriptedTransport(answer: (message: InvokeMessage) => unknown = () => ({ ok: true, value: {} })) {
  const sent: InvokeMessage[] = [];
  const listeners = new Set<(message: unknown) => void>();
  const transport: ApiTransport = {
    async invoke(message) {
      sent.push(message);
      return answer(message);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const emit = (message: unknown): void => {
    for (const listener of [...listeners]) listener(message);
  };
  return { transport, sent, emit, listeners };
}

const snapshot = { status: 'signed-out', active: null, locked: [], lastEnded: null };

describe('the IPC contract', () => {
  it('names every channel domain:verb and declares each once', () => {
    for (const name of [...invokeChannelNames(), ...eventChannelNames()]) expect(name).toMatch(CHANNEL_NAME_PATTERN);
    expect(invokeChannelNames()).toEqual([
      'audit:export',
      'audit:view',
      'chart:amend',
      'chart:census',
      'chart:check-administration',
      'chart:mar',
      'chart:notes',
      'chart:open-off-ward',
      'chart:pending',
      'chart:record-administration',
      'chart:record-note',
      'chart:record-vitals',
      'chart:recorded-entries',
      'chart:summary',
      'chart:trend',
      'conflict:list',
      'conflict:resolve',
      'policy:view',
      'print:mar',
      'session:activity',
      'session:break-glass',
      'session:lock',
      'session:set-pin',
      'session:sign-in',
      'session:sign-out',
      'session:state',
      'session:switch-user',
      'session:unlock-pin',
      'setup:state',
      'sync:now',
      'sync:patient-freshness',
      'sync:status',
    ]);
    expect(eventChannelNames()).toEqual(['session:purge', 'setup:changed', 'sync:changed']);
  });

  it('refuses a channel name that is not domain:verb', () => {
    expect(() =>
      defineChannel({
        name: 'Session:SignIn' as 'x:y',
        summary: '',
        permission: 'public',
        request: z.strictObject({}),
        response: z.object({}),
      }),
    ).toThrow(/domain:verb/);
    expect(() =>
      defineChannel({
        name: 'session:sign in' as 'x:y',
        summary: '',
        permission: 'public',
        request: z.strictObject({}),
        response: z.object({}),
      }),
    ).toThrow(/domain:verb/);
  });

  it('does not find inherited names such as "constructor" or "__proto__" in the table', () => {
    expect(invokeChannel('constructor')).toBeNull();
    expect(invokeChannel('__proto__')).toBeNull();
    expect(invokeChannel('toString')).toBeNull();
    expect(invokeChannel('session:sign-in')?.name).toBe('session:sign-in');
  });

  it('refuses requests with keys the contract does not declare', () => {
    const signIn = INVOKE_CHANNELS['session:sign-in'];
    expect(signIn.request.safeParse({ username: 'nina', password: 'x' }).success).toBe(true);
    expect(signIn.request.safeParse({ username: 'nina', password: 'x', role: 'admin' }).success).toBe(false);
    expect(INVOKE_CHANNELS['session:lock'].request.safeParse({ force: true }).success).toBe(false);
    expect(INVOKE_CHANNELS['chart:summary'].request.safeParse({ patientId: '../etc/passwd' }).success).toBe(false);
  });
});

describe('window.wardline (createWardlineApi)', () => {
  it('exposes exactly one function per channel, grouped by domain, and nothing to send raw messages', () => {
    const api = createWardlineApi(scriptedTransport().transport);
    expect(Object.keys(api).sort()).toEqual(['audit', 'chart', 'conflict', 'policy', 'print', 'session', 'setup', 'sync']);
    expect(Object.keys(api.chart).sort()).toEqual([
      'amend',
      'census',
      'checkAdministration',
      'mar',
      'notes',
      'openOffWard',
      'pending',
      'recordAdministration',
      'recordNote',
      'recordVitals',
      'recordedEntries',
      'summary',
      'trend',
    ]);
    expect(Object.keys(api.sync).sort()).toEqual(['now', 'onChanged', 'patientFreshness', 'status']);
    expect(Object.keys(api.session).sort()).toEqual([
      'activity',
      'breakGlass',
      'lock',
      'onPurge',
      'setPin',
      'signIn',
      'signOut',
      'state',
      'switchUser',
      'unlockPin',
    ]);
    expect(Object.isFrozen(api) && Object.isFrozen(api.session) && Object.isFrozen(api.chart)).toBe(true);
    expect(apiMethodOf('session:sign-in', 'invoke')).toEqual({ domain: 'session', method: 'signIn' });
    expect(apiMethodOf('session:purge', 'event')).toEqual({ domain: 'session', method: 'onPurge' });
  });

  it('sends the channel name with the request and hands back the parsed answer', async () => {
    const { transport, sent } = scriptedTransport(() => ({ ok: true, value: snapshot }));
    const api: WardlineApi = createWardlineApi(transport);
    const result = await api.session.lock();
    expect(sent).toEqual([{ channel: 'session:lock', request: {} }]);
    expect(result).toEqual({ ok: true, value: snapshot });
    await api.chart.summary({ patientId: 'p-1' }).catch(() => undefined);
    expect(sent[1]).toEqual({ channel: 'chart:summary', request: { patientId: 'p-1' } });
  });

  it('drops fields of an answer that the contract does not declare', async () => {
    const { transport } = scriptedTransport(() => ({ ok: true, value: { ...snapshot, vaultKey: 'secret' } }));
    const result = await createWardlineApi(transport).session.state();
    expect(result.ok && 'vaultKey' in result.value).toBe(false);
  });

  it("passes the host's refusal through with its code", async () => {
    const { transport } = scriptedTransport(() => ({
      ok: false,
      error: { code: 'WRONG_PIN', message: 'Wrong PIN. 4 tries left before your password is needed.' },
    }));
    const result = await createWardlineApi(transport).session.unlockPin({ userId: 'u-1', pin: '2468' });
    expect(result).toEqual({ ok: false, error: { code: 'WRONG_PIN', message: 'Wrong PIN. 4 tries left before your password is needed.' } });
  });

  it('turns an unreadable answer or a broken transport into an error result, never a throw', async () => {
    const garbled = createWardlineApi(scriptedTransport(() => ({ ok: true, value: { status: 'hacked' } })).transport);
    expect(await garbled.session.state()).toMatchObject({ ok: false, error: { code: 'BAD_REPLY' } });
    const notAnEnvelope = createWardlineApi(scriptedTransport(() => 'hello').transport);
    expect(await notAnEnvelope.session.state()).toMatchObject({ ok: false, error: { code: 'BAD_REPLY' } });
    const broken = createWardlineApi(
      scriptedTransport(() => {
        throw new Error('No handler registered');
      }).transport,
    );
    expect(await broken.session.state()).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('delivers only its own event, only with a valid payload, until unsubscribed', () => {
    const { transport, emit, listeners } = scriptedTransport();
    const api = createWardlineApi(transport);
    const received: unknown[] = [];
    const stop = api.session.onPurge((payload) => received.push(payload));
    emit({ event: 'session:purge', payload: { sessionId: 's-1', userId: 'u-1' } });
    emit({ event: 'session:other', payload: { sessionId: 's-2', userId: 'u-2' } });
    emit({ event: 'session:purge', payload: { sessionId: 42 } });
    emit('not an envelope');
    expect(received).toEqual([{ sessionId: 's-1', userId: 'u-1' }]);
    stop();
    expect(listeners.size).toBe(0);
    emit({ event: 'session:purge', payload: { sessionId: 's-3', userId: 'u-3' } });
    expect(received).toHaveLength(1);
    expect(IPC_EVENT).toBe('wardline:event');
    expect(Object.keys(EVENT_CHANNELS)).toEqual(['session:purge', 'sync:changed', 'setup:changed']);
  });

  it('types each function from its schemas', () => {
    const api = createWardlineApi(scriptedTransport().transport);
    // Compile-time checks: these lines are what tsc verifies.
    const calls = [
      () => api.session.state(),
      () => api.session.signIn({ username: 'nina', password: 'pw' }),
      () => api.chart.trend({ patientId: 'p', code: '8867-4', from: '2025-01-01T00:00:00Z', to: '2025-01-02T00:00:00Z' }),
      // @ts-expect-error a chart summary needs a patient id
      () => api.chart.summary(),
      // @ts-expect-error the contract has no such channel
      () => api.session.unlockWithoutPin(),
    ];
    expect(calls).toHaveLength(5);
  });
});
