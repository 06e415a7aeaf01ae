// Where the loopback link lives and how large its frames may be: plain constants without zod, so a
// page can open its socket before it has loaded or built any schema (renderer/src/bridge/early-socket.ts).

/** The WebSocket path on the loopback server. */
export const LOOPBACK_IPC_PATH = '/ipc';

/** The largest frame either side accepts (bytes); a larger one closes the connection. */
export const LOOPBACK_MAX_FRAME_BYTES = 1024 * 1024;
