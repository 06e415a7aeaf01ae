// Test support for the IPC router (its unit tests and the fuzz tests in tests/ipc/): handlers that
// record every call and answer with a valid response for their channel, and a trusted sender.
import { invokeChannelNames, type InvokeChannelName } from '../../shared/contract/index.js';
import type { IpcHandlers } from './ipc-router.js';
import type { SenderInfo } from './transport.js';

export const SIGNED_OUT_SNAPSHOT = { status: 'signed-out', active: null, locked: [], lastEnded: null } as const;

const SYNC_STATUS = {
  enrolled: false,
  state: 'offline',
  lastSuccess: null,
  dataAsOf: null,
  staleness: 'never-synced',
  outboxPending: 0,
  conflicts: 0,
  lastError: null,
  initialLoad: null,
  staleAmberMs: 900_000,
  staleRedMs: 3_600_000,
  pollIntervalMs: 15_000,
} as const;

const VALID_ANSWERS: { readonly [N in InvokeChannelName]: unknown } = {
  'session:state': SIGNED_OUT_SNAPSHOT,
  'session:sign-in': { snapshot: SIGNED_OUT_SNAPSHOT, mode: 'online', resumed: false, hubUnreachable: false },
  'session:unlock-pin': SIGNED_OUT_SNAPSHOT,
  'session:lock': SIGNED_OUT_SNAPSHOT,
  'session:sign-out': SIGNED_OUT_SNAPSHOT,
  'session:switch-user': SIGNED_OUT_SNAPSHOT,
  'session:set-pin': {},
  'session:activity': {},
  'session:break-glass': { patientId: 'p-1', expiresAt: '2026-01-15T08:30:00.000Z' },
  'chart:census': [],
  'chart:summary': null,
  'chart:trend': [],
  'chart:mar': [],
  'chart:notes': { notes: [], total: 0 },
  'chart:open-off-ward': { patientId: 'p-2', expiresAt: '2026-01-15T08:30:00.000Z' },
  'chart:record-note': { entryId: 'e-4', resourceIds: ['d-1'], status: 'pending-upload' },
  'chart:record-vitals': { entryId: 'e-1', resourceIds: ['o-1'], status: 'pending-upload' },
  'chart:check-administration': { hardStops: [], reasonsNeeded: [], timing: 'on-time', allergyConflicts: [], windowMinutes: 60 },
  'chart:record-administration': { entryId: 'e-2', resourceIds: ['ma-1'], status: 'pending-upload' },
  'chart:pending': [],
  'chart:recorded-entries': [],
  'chart:amend': { entryId: 'e-3', status: 'pending-upload' },
  'sync:status': SYNC_STATUS,
  'sync:now': SYNC_STATUS,
  'sync:patient-freshness': null,
  'setup:state': { phase: 'ready', progress: null, problem: null, policyFile: null, tokenFile: null },
  'conflict:list': [],
  'conflict:resolve': { resentAs: null },
  'audit:view': { entries: [], nextBeforeSequence: null, upload: { pending: 0, lastAcknowledgedUpload: null } },
  'audit:export': { saved: false },
  'policy:view': {
    issued: '2026-01-01T00:00:00Z',
    hubUrl: 'https://hub.hospital.example',
    pins: [],
    ward: 'ward-7',
    idleTimeoutMs: 300_000,
    sessionLimitMs: 43_200_000,
    offlineGraceMs: 259_200_000,
    maxLockedSessions: 4,
    breakTheGlassMs: 1_800_000,
    cacheDaysBeforeAdmission: 30,
    auditRetentionMs: 7_776_000_000,
    administrationWindowMs: 3_600_000,
    allergyClassesAdded: 0,
    staleAmberMs: 900_000,
    staleRedMs: 3_600_000,
    printingAllowed: true,
    saveAsPdfAllowed: false,
    updates: { enabled: false },
    signedBy: 'k-1',
    defaulted: [],
  },
  'print:mar': {
    delivery: 'in-page',
    fileName: 'wardline-mar-20260115T083000Z.pdf',
    mediaType: 'application/pdf',
    base64: 'JVBERi0=',
    pages: 1,
    patients: 1,
  },
};

export interface RecordedCall {
  readonly channel: InvokeChannelName;
  readonly request: unknown;
}

/** One handler per channel: each records its call and answers validly. */
export function recordingHandlers(): { handlers: IpcHandlers; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const handlers = Object.fromEntries(
    invokeChannelNames().map((channel) => [
      channel,
      (request: unknown) => {
        calls.push({ channel, request });
        return VALID_ANSWERS[channel];
      },
    ]),
  ) as unknown as IpcHandlers;
  return { handlers, calls };
}

/** The sender the host trusts: the top app:// frame of its window (webContents id 1). */
export const APP_SENDER: SenderInfo = Object.freeze({ frameUrl: 'app://wardline/index.html', isMainFrame: true, contentsId: 1 });
