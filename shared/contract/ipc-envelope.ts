// What travels on the wire between the preload and the host: one Electron IPC channel for every
// request (the contract's channel name is inside the message, so the host sees, checks and audits
// every name, known or not) and one for events. Answers are results, never thrown errors: a
// rejected promise would lose the error's code on its way through contextBridge.
import { z } from 'zod';

/** The Electron IPC channel carrying every request: `{ channel, request }`. */
export const IPC_INVOKE = 'wardline:invoke';
/** The Electron IPC channel carrying every event: `{ event, payload }`. */
export const IPC_EVENT = 'wardline:event';

export interface IpcError {
  /** A stable code (a room's error code, e.g. LOCKED, WRONG_PIN; or REJECTED, INTERNAL). */
  readonly code: string;
  /** Written for the person at the screen; never patient data. */
  readonly message: string;
}

export type IpcResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: IpcError };

export const ipcErrorSchema = z.object({ code: z.string().min(1).max(64), message: z.string().max(1000) });

/** The shape of any answer, before its value is checked against the channel's response schema. */
export const ipcReplySchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ipcErrorSchema }),
]);

export const invokeMessageSchema = z.object({ channel: z.string(), request: z.unknown() });
export type InvokeMessage = z.infer<typeof invokeMessageSchema>;

export const eventMessageSchema = z.object({ event: z.string(), payload: z.unknown() });
export type EventMessage = z.infer<typeof eventMessageSchema>;

/** The codes the transport itself answers with (room errors pass their own codes through). */
export const IPC_ERROR_CODES = {
  /** Wrong sender, unknown channel or a request that does not match its schema: refused and audited. */
  rejected: 'REJECTED',
  /** The host failed in a way it did not expect; details are in the host's log. */
  internal: 'INTERNAL',
  /** The host's answer did not match the contract (a bug on one side). */
  badReply: 'BAD_REPLY',
} as const;

export function ok<T>(value: T): IpcResult<T> {
  return { ok: true, value };
}

export function failed(code: string, message: string): IpcResult<never> {
  return { ok: false, error: { code, message } };
}
