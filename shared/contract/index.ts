// The IPC contract: the one place where the channels between the window and the host are
// declared (domain:verb names, zod schemas, permissions), and the typed API derived from them.
export {
  defineChannel,
  defineEvent,
  channelTable,
  CHANNEL_NAME_PATTERN,
  type ChannelName,
  type ChannelPermission,
  type ContractAction,
  type ContractChartCategory,
  type InvokeChannel,
  type EventChannel,
} from './channel.js';
export {
  IPC_INVOKE,
  IPC_EVENT,
  IPC_ERROR_CODES,
  ipcErrorSchema,
  ipcReplySchema,
  invokeMessageSchema,
  eventMessageSchema,
  ok,
  failed,
  type IpcError,
  type IpcResult,
  type InvokeMessage,
  type EventMessage,
} from './ipc-envelope.js';
export {
  INVOKE_CHANNELS,
  EVENT_CHANNELS,
  invokeChannel,
  eventChannel,
  invokeChannelNames,
  eventChannelNames,
  type InvokeChannels,
  type EventChannels,
  type InvokeChannelName,
  type EventChannelName,
  type RequestOf,
  type ParsedRequestOf,
  type ResponseOf,
  type HandlerResultOf,
  type DeepReadonly,
  type PayloadOf,
} from './contract.js';
export { SESSION_CHANNELS, SESSION_EVENTS } from './session-channels.js';
export { CHART_CHANNELS, patientIdSchema, observationCodeSchema, instantSchema } from './chart-channels.js';
export * from './session-schemas.js';
export * from './chart-schemas.js';
export * from './sync-channels.js';
export * from './documentation-channels.js';
export * from './amendment-channels.js';
export * from './administration-schemas.js';
export * from './conflict-channels.js';
export * from './audit-channels.js';
export * from './policy-channels.js';
export * from './print-channels.js';
export * from './setup-channels.js';
export { OFF_WARD_CHANNELS, mrnSchema } from './off-ward-channels.js';
export { createWardlineApi, apiMethodOf, WARDLINE_GLOBAL, type WardlineApi, type ApiTransport } from './wardline-api.js';
