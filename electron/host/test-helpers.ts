// Test support for the IPC router (its unit tests and the fuzz tests in tests/ipc/): handlers that
// record every call and answer with a valid response for their channel, and a trusted sender.
import { invokeChannelNames, type InvokeChannelName } from '../../shared/contract/index.js';
import type { IpcHandlers } from './ipc-router.js';
import type { SenderInfo } from './transport.js';

export const SIGNED_OUT_SNAPSHOT = { status: 'signed-out', active: null, locked: [], lastEnded: null } as const;

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
};

export interface RecordedCall {
  readonly channel: InvokeChannelName;
  readonly request: unknown;
}

/** One handler per channel: each records its call and answers validly. */
export function recordingHandlers(): { handlers: IpcHandlers; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const handlers = Object.fromEntries(
    invokeChannelNames().map((channel) => [channel, (request: unknown) => {
      calls.push({ channel, request });
      return VALID_ANSWERS[channel];
    }]),
  ) as unknown as IpcHandlers;
  return { handlers, calls };
}

/** The sender the host trusts: the top app:// frame of its window (webContents id 1). */
export const APP_SENDER: SenderInfo = Object.freeze({ frameUrl: 'app://wardline/index.html', isMainFrame: true, contentsId: 1 });
