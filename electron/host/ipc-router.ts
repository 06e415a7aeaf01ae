// The IPC router: every request from the window is checked before anything runs — the sender
// (the app:// top frame of the host's own window), the envelope, a channel the contract declares,
// and the request against that channel's schema. Anything else is refused and audited, and never
// reaches a service. Then the channel's permission is checked, the handler runs, and its answer is
// parsed against the response schema, so nothing the contract does not declare leaves the host.
import type { Logger } from 'pino';
import { pino } from 'pino';
import {
  failed,
  invokeChannel,
  invokeMessageSchema,
  IPC_ERROR_CODES,
  ok,
  type ChannelPermission,
  type HandlerResultOf,
  type InvokeChannelName,
  type IpcResult,
  type ParsedRequestOf,
} from '../../shared/contract/index.js';
import { ipcErrorOf, unexpectedIpcError } from './ipc-error-mapping.js';
import type { IncomingRequest, SenderInfo } from './transport.js';

/** Who is calling, as the permission check found them; null on a public channel with nobody signed in. */
export interface Caller {
  readonly sessionId: string;
  readonly userId: string;
}

export type IpcHandler<N extends InvokeChannelName> = (
  request: ParsedRequestOf<N>,
  caller: Caller | null,
) => HandlerResultOf<N> | Promise<HandlerResultOf<N>>;

/** One handler per channel of the contract: adding a channel without its handler does not compile. */
export type IpcHandlers = { readonly [N in InvokeChannelName]: IpcHandler<N> };

export type RejectionReason = 'untrusted-sender' | 'malformed-message' | 'unknown-channel' | 'invalid-request';

export interface IpcRejection {
  /** The channel name as received (printable characters only, at most 100). */
  readonly channel: string;
  readonly reason: RejectionReason;
}

export interface IpcRouterOptions {
  readonly handlers: IpcHandlers;
  /** Whether a request comes from the host's own window (electron/window: isAppSender). */
  readonly isTrustedSender: (sender: SenderInfo) => boolean;
  /**
   * Checks a channel's permission for whoever is at the window now: returns the caller, or throws
   * the sessions room's error (NOT_SIGNED_IN, LOCKED, FORBIDDEN). 'public' must not throw.
   */
  readonly authorize: (permission: ChannelPermission) => Caller | null;
  /** Records a refused request in the audit trail; must not throw for a refusal it can keep. */
  readonly audit: (rejection: IpcRejection) => void;
  /** Changes every time serving stops (SessionManager.servingGeneration): an answer begun before a lock is dropped. */
  readonly servingGeneration?: () => number;
  readonly logger?: Logger;
}

export interface IpcRouter {
  handle(request: IncomingRequest): Promise<IpcResult<unknown>>;
}

const REJECTED_MESSAGE = 'Wardline refused a request from its window. If this keeps happening, restart Wardline and call IT.';
const LOCKED_WHILE_WORKING = 'The workstation locked while this was loading. Unlock it to continue.';

/** The channel name as it may appear in the audit trail and the log: printable ASCII, at most 100. */
export function printableChannel(channel: unknown): string {
  if (typeof channel !== 'string') return `(${channel === null ? 'null' : typeof channel})`;
  return channel.replace(/[^\x20-\x7e]/g, '?').slice(0, 100);
}

export function createIpcRouter(options: IpcRouterOptions): IpcRouter {
  const logger = options.logger ?? pino({ level: 'silent' });
  const handlers = options.handlers as unknown as Record<string, IpcHandler<InvokeChannelName>>;

  const reject = (channel: unknown, reason: RejectionReason): IpcResult<never> => {
    const rejection: IpcRejection = { channel: printableChannel(channel), reason };
    logger.warn({ event: 'ipc.rejected', channel: rejection.channel, reason }, 'IPC request refused');
    try {
      options.audit(rejection);
    } catch (error) {
      logger.error({ event: 'ipc.audit_failed', error: error instanceof Error ? error.name : 'unknown' }, 'IPC refusal not audited');
    }
    return failed(IPC_ERROR_CODES.rejected, REJECTED_MESSAGE);
  };

  return {
    async handle({ sender, message }) {
      let trusted = false;
      try {
        trusted = options.isTrustedSender(sender);
      } catch {
        trusted = false;
      }
      const claimed = typeof message === 'object' && message !== null ? (message as { channel?: unknown }).channel : undefined;
      if (!trusted) return reject(claimed, 'untrusted-sender');
      const envelope = invokeMessageSchema.safeParse(message);
      if (!envelope.success) return reject(claimed, 'malformed-message');
      const channel = invokeChannel(envelope.data.channel);
      const handler = channel === null ? undefined : handlers[channel.name];
      if (channel === null || handler === undefined) return reject(envelope.data.channel, 'unknown-channel');
      const request = channel.request.safeParse(envelope.data.request);
      if (!request.success) return reject(channel.name, 'invalid-request');

      const generation = options.servingGeneration?.();
      try {
        const caller = options.authorize(channel.permission);
        const answer = await handler(request.data as never, caller);
        // Only answers that may carry patient data (channels behind an action of the permission
        // table) are dropped; a lock's or sign-out's own answer (public/session channels) goes back.
        const carriesPatientData = channel.permission !== 'public' && channel.permission !== 'session';
        if (carriesPatientData && generation !== undefined && options.servingGeneration?.() !== generation) {
          return failed('LOCKED', LOCKED_WHILE_WORKING);
        }
        const response = channel.response.safeParse(answer);
        if (!response.success) {
          logger.error(
            { event: 'ipc.bad_response', channel: channel.name, issues: response.error.issues.length },
            'handler answer does not match the contract',
          );
          return { ok: false, error: unexpectedIpcError() };
        }
        return ok(response.data);
      } catch (error) {
        return { ok: false, error: ipcErrorOf(error, channel.name, logger) };
      }
    },
  };
}
