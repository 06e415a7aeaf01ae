// The loopback link between a browser page and the host (evaluation mode, e2e tests): the
// WebSocket path, the frame size limit and the frames both sides exchange.
export {
  LOOPBACK_IPC_PATH,
  LOOPBACK_MAX_FRAME_BYTES,
  invokeFrameSchema,
  hostFrameSchema,
  type InvokeFrame,
  type HostFrame,
} from './frames.js';
