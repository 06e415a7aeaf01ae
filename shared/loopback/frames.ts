// The frames of the loopback WebSocket (evaluation mode and e2e tests): the page sends invokes
// ({id, type:'invoke', message}), the host answers each with a reply carrying the same id and
// pushes events. The contract's own envelopes travel inside, unchanged and checked as usual.
import { z } from 'zod';

export { LOOPBACK_IPC_PATH, LOOPBACK_MAX_FRAME_BYTES } from './endpoint.js';

const frameId = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Page → host. `message` is the contract's `{channel, request}`, checked by the host's router. */
export const invokeFrameSchema = z.strictObject({ id: frameId, type: z.literal('invoke'), message: z.unknown() });
export type InvokeFrame = z.infer<typeof invokeFrameSchema>;

/** Host → page: the answer to invoke `id` (an IpcResult) or an event message (`{event, payload}`). */
export const hostFrameSchema = z.discriminatedUnion('type', [
  z.strictObject({ id: frameId, type: z.literal('reply'), reply: z.unknown() }),
  z.strictObject({ type: z.literal('event'), message: z.unknown() }),
]);
export type HostFrame = z.infer<typeof hostFrameSchema>;
