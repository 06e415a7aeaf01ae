// Fuzzing the IPC router with the real contract and the real sender check of the Electron window:
// whatever the window sends, only a request from the app:// top frame, on a declared channel,
// matching that channel's schema, reaches a service; everything else is refused and audited.
import { codesOf, NOT_GIVEN_REASONS } from '../../shared/medication-safety/index.js';
import fc from 'fast-check';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AMENDMENT_REASONS, invokeChannel, invokeChannelNames, type InvokeChannelName } from '../../shared/contract/index.js';
import { createIpcRouter, type IpcRejection, type SenderInfo } from '../../electron/host/index.js';
import { recordingHandlers } from '../../electron/host/test-helpers.js';
import { appSenderCheck } from '../../electron/window/index.js';
import { VITAL_RANGES } from '../../shared/vital-signs/index.js';

const TRUSTED_CONTENTS = new Set([1]);
const isAppSender = appSenderCheck(() => TRUSTED_CONTENTS);

function fuzzedRouter() {
  const { handlers, calls } = recordingHandlers();
  const audited: IpcRejection[] = [];
  const router = createIpcRouter({
    handlers,
    isTrustedSender: isAppSender,
    authorize: () => null,
    audit: (r) => audited.push(r),
    logger: pino({ level: 'silent' }),
  });
  return { router, calls, audited };
}

const names = invokeChannelNames();
const instant = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const patientId = fc.stringMatching(/^[A-Za-z0-9\-.]{1,64}$/);
const pin = fc.stringMatching(/^\d{4,8}$/);
const password = fc.string({ minLength: 1, maxLength: 64 });
const resourceId = fc.stringMatching(/^[A-Za-z0-9\-.]{1,64}$/);
// Valid vital signs: within the measurable ranges of shared/vital-signs, at their allowed
// precision, with the diastolic below the systolic (the contract refuses anything else).
const inRange = (field: keyof typeof VITAL_RANGES) => {
  const { min, max, decimals } = VITAL_RANGES[field];
  const scale = 10 ** decimals;
  return fc.integer({ min: Math.ceil(min * scale), max: Math.floor(max * scale) }).map((n) => n / scale);
};
const vitalSigns = fc
  .record(
    {
      effectiveAt: instant,
      heartRate: inRange('heartRate'),
      respiratoryRate: inRange('respiratoryRate'),
      temperatureCelsius: inRange('temperatureCelsius'),
      oxygenSaturation: inRange('oxygenSaturation'),
      painScore: inRange('painScore'),
    },
    { requiredKeys: ['heartRate'] },
  )
  .chain((vitals) =>
    fc
      .option(
        inRange('systolic').chain((systolic) =>
          fc
            .integer({ min: VITAL_RANGES.diastolic.min, max: Math.min(VITAL_RANGES.diastolic.max, systolic - 1) })
            .map((diastolic) => [systolic, diastolic] as const),
        ),
        { nil: undefined },
      )
      .map((pressure) => (pressure === undefined ? vitals : { ...vitals, systolic: pressure[0], diastolic: pressure[1] })),
  );
const administration = fc.oneof(
  fc.record(
    {
      medicationRequestId: resourceId,
      given: fc.constant(true),
      effectiveAt: instant,
      scheduledAt: instant,
      dose: fc.record({ value: fc.double({ min: 0.001, max: 100000, noNaN: true }), unit: fc.constantFrom('mg', 'mL', 'tablet') }),
    },
    { requiredKeys: ['medicationRequestId', 'given'] },
  ),
  fc.record(
    {
      medicationRequestId: resourceId,
      given: fc.constant(false),
      notGivenReason: fc.constantFrom(...codesOf(NOT_GIVEN_REASONS)),
      note: fc.string({ minLength: 1, maxLength: 500 }).filter((s) => s.trim().length > 0),
      scheduledAt: instant,
      patientConfirmation: fc.record({
        method: fc.constantFrom('scan', 'typed'),
        value: fc.constantFrom('MRN0001234', 'urn:wardline:mrn|MRN0001234'),
      }),
    },
    { requiredKeys: ['medicationRequestId', 'given', 'notGivenReason'] },
  ),
);

/** A valid request for every channel (a channel added to the contract must be added here, or this does not compile). */
const VALID_REQUESTS: { readonly [N in InvokeChannelName]: fc.Arbitrary<unknown> } = {
  'session:state': fc.constant({}),
  'session:sign-in': fc.record(
    {
      username: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim().length > 0),
      password,
      totp: fc.stringMatching(/^\d{6}$/),
      offline: fc.boolean(),
    },
    { requiredKeys: ['username', 'password'] },
  ),
  'session:unlock-pin': fc.record({ userId: fc.string({ minLength: 1, maxLength: 40 }), pin }),
  'session:lock': fc.constant({}),
  'session:sign-out': fc.constant({}),
  'session:switch-user': fc.constant({}),
  'session:set-pin': fc.record({ pin, password }, { requiredKeys: ['pin'] }),
  'session:activity': fc.constant({}),
  'session:break-glass': fc.record({
    patientId,
    reasonCode: fc.constantFrom('ETREAT', 'COC', 'TREAT'),
    reasonText: fc.string({ minLength: 10, maxLength: 200 }).filter((s) => s.trim().length >= 10),
  }),
  'chart:census': fc.constant({}),
  'chart:summary': fc.record({ patientId }),
  'chart:trend': fc.record({
    patientId,
    code: fc.constantFrom('8867-4', 'http://loinc.org|8480-6', '85354-9'),
    from: instant,
    to: instant,
  }),
  'chart:mar': fc.record({ patientId, from: instant, to: instant }),
  'chart:open-off-ward': fc.record({
    mrn: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9\-._/]{0,63}$/),
    reasonCode: fc.constantFrom('ETREAT', 'COC', 'TREAT'),
    reasonText: fc.string({ minLength: 10, maxLength: 200 }).filter((s) => s.trim().length >= 10),
  }),
  'chart:notes': fc.record(
    { patientId, offset: fc.nat({ max: 1000 }), limit: fc.integer({ min: 1, max: 100 }) },
    { requiredKeys: ['patientId'] },
  ),
  'chart:record-note': fc.record({
    patientId,
    note: fc.record(
      {
        text: fc.string({ minLength: 1, maxLength: 400 }).filter((s) => s.trim() !== ''),
        title: fc.string({ minLength: 1, maxLength: 80 }).filter((s) => s.trim() === s && s.length > 0),
      },
      { requiredKeys: ['text'] },
    ),
  }),
  'chart:record-vitals': fc.record({ patientId, vitals: vitalSigns }),
  'chart:check-administration': fc.record({ patientId, administration }),
  'chart:record-administration': fc.record({ patientId, administration }),
  'chart:pending': fc.record({ patientId }),
  'chart:recorded-entries': fc.record({ patientId, from: instant, to: instant }),
  'chart:amend': fc.oneof(
    fc.record(
      {
        patientId,
        resourceType: fc.constantFrom('Observation', 'MedicationAdministration'),
        id: resourceId,
        versionId: fc.option(fc.stringMatching(/^[1-9][0-9]{0,3}$/)),
        reason: fc.constantFrom(...AMENDMENT_REASONS.map((r) => r.code)),
        note: fc.string({ minLength: 1, maxLength: 100 }).filter((s) => s.trim() === s && s.length > 0),
        action: fc.constant('entered-in-error'),
      },
      { requiredKeys: ['patientId', 'resourceType', 'id', 'versionId', 'reason', 'action'] },
    ),
    fc.record({
      patientId,
      resourceType: fc.constant('Observation'),
      id: resourceId,
      versionId: fc.option(fc.stringMatching(/^[1-9][0-9]{0,3}$/)),
      reason: fc.constant('wrong-value'),
      action: fc.constant('correct'),
      values: fc.record({ value: fc.integer({ min: 20, max: 200 }) }),
    }),
  ),
  'sync:status': fc.constant({}),
  'sync:now': fc.constant({}),
  'sync:patient-freshness': fc.record({ patientId }),
  'setup:state': fc.constant({}),
  'conflict:list': fc.constant({}),
  'conflict:resolve': fc.oneof(
    fc.record({ conflictId: resourceId, choice: fc.constantFrom('keep-hub', 'resend-local') }),
    fc.record({
      conflictId: resourceId,
      choice: fc.constant('combine'),
      resources: fc.array(fc.dictionary(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 2 })), { minLength: 1, maxLength: 20 }),
    }),
  ),
  'audit:view': fc.record(
    {
      username: fc.stringMatching(/^[a-z][a-z0-9.]{0,30}$/),
      patient: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ,]{0,40}$/),
      patientId,
      userId: fc.string({ minLength: 1, maxLength: 128 }),
      from: instant,
      to: instant,
      beforeSequence: fc.integer({ min: 1 }),
      limit: fc.integer({ min: 1, max: 1000 }),
    },
    { requiredKeys: [] },
  ),
  'audit:export': fc.record(
    {
      username: fc.stringMatching(/^[a-z][a-z0-9.]{0,30}$/),
      patient: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ,]{0,40}$/),
      patientId,
      from: instant,
      to: instant,
    },
    { requiredKeys: [] },
  ),
  'policy:view': fc.constant({}),
  'print:mar': fc.record({ scope: fc.oneof(fc.record({ patientId }), fc.constant({ ward: true })), from: instant, to: instant }),
};

const validMessage = fc.constantFrom(...names).chain((channel) => VALID_REQUESTS[channel].map((request) => ({ channel, request })));

const hostileChannel = fc.oneof(
  fc.constantFrom(...names),
  fc.constantFrom(
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    'Session:state',
    'session:state ',
    'session:state\u0000',
    'vault:export',
    'wardline:invoke',
    '',
  ),
  fc.string(),
  fc.anything(),
);

const message = fc.oneof(
  validMessage,
  fc.record({ channel: hostileChannel, request: fc.oneof(fc.anything(), fc.object(), fc.constant({})) }),
  fc.record({ channel: fc.constantFrom(...names), request: fc.anything() }),
  validMessage.map((m) => ({ ...m, request: { ...(m.request as object), extra: true } })),
  fc.anything(),
);

const sender: fc.Arbitrary<SenderInfo> = fc.record({
  frameUrl: fc.oneof(
    fc.constantFrom('app://wardline/index.html', 'app://wardline/', 'app://wardline/assets/index-1a2b.js'),
    fc.constantFrom(
      'app://evil/index.html',
      'app://wardline.evil.example/',
      'app://user@wardline/',
      'file:///etc/passwd',
      'https://wardline/',
      'about:blank',
      'devtools://devtools/',
    ),
    fc.webUrl(),
    fc.string(),
    fc.constant(null),
  ),
  isMainFrame: fc.boolean(),
  contentsId: fc.integer({ min: 0, max: 3 }),
});

const trustedSender = fc.record({
  frameUrl: fc.constantFrom('app://wardline/index.html', 'app://wardline/'),
  isMainFrame: fc.constant(true),
  contentsId: fc.constant(1),
});

/** Whether the router should let `incoming` through: decided here from the contract, independently of the router's code path. */
function shouldDispatch(from: SenderInfo, incoming: unknown): boolean {
  if (!isAppSender(from)) return false;
  if (typeof incoming !== 'object' || incoming === null || !('channel' in incoming) || !('request' in incoming)) return false;
  const { channel, request } = incoming as { channel: unknown; request: unknown };
  if (typeof channel !== 'string') return false;
  const declared = invokeChannel(channel);
  return declared !== null && declared.request.safeParse(request).success;
}

describe('the IPC router under fuzzed messages', () => {
  it('lets a message reach a service only from the app window, on a declared channel, with a valid request; audits every other', async () => {
    let dispatched = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(trustedSender, sender), message, async (from, incoming) => {
        const { router, calls, audited } = fuzzedRouter();
        const reply = await router.handle({ sender: from, message: incoming });
        if (shouldDispatch(from, incoming)) {
          dispatched += 1;
          expect(calls).toHaveLength(1);
          expect(calls[0]!.channel).toBe((incoming as { channel: string }).channel);
          expect(reply.ok).toBe(true);
          expect(audited).toEqual([]);
        } else {
          refused += 1;
          expect(calls).toEqual([]);
          expect(reply).toMatchObject({ ok: false, error: { code: 'REJECTED' } });
          expect(audited).toHaveLength(1);
        }
      }),
      { numRuns: 3000, seed: 20261206 },
    );
    // Both outcomes were exercised, many times.
    expect(dispatched).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(1000);
  });

  it('never lets a request from anything but the app window through, however valid the message', async () => {
    const untrusted = sender.filter((s) => !isAppSender(s));
    await fc.assert(
      fc.asyncProperty(untrusted, validMessage, async (from, incoming) => {
        const { router, calls, audited } = fuzzedRouter();
        await router.handle({ sender: from, message: incoming });
        expect(calls).toEqual([]);
        expect(audited).toEqual([{ channel: incoming.channel, reason: 'untrusted-sender' }]);
      }),
      { numRuns: 1000, seed: 20261206 },
    );
  });

  it('lets every valid request from the app window reach its service, parsed', async () => {
    await fc.assert(
      fc.asyncProperty(trustedSender, validMessage, async (from, incoming) => {
        const { router, calls, audited } = fuzzedRouter();
        const reply = await router.handle({ sender: from, message: incoming });
        expect(reply.ok).toBe(true);
        expect(audited).toEqual([]);
        expect(calls).toHaveLength(1);
        expect(calls[0]).toEqual({ channel: incoming.channel, request: invokeChannel(incoming.channel)!.request.parse(incoming.request) });
      }),
      { numRuns: 1000, seed: 20261206 },
    );
  });
});
