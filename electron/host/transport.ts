// The Transport port: how requests from the window reach the host and events go back. The Electron
// adapter (ipcMain + the window's webContents) lives in electron/window/; the loopback adapter for
// evaluation mode and e2e tests is another implementation of the same port.
import type { EventMessage, IpcResult } from '../../shared/contract/index.js';

/** Who sent a request, as the transport saw it (never what the message claims about itself). */
export interface SenderInfo {
  /** The sending frame's URL; null when the frame is gone or navigated away. */
  readonly frameUrl: string | null;
  /** True when the sending frame is its page's top frame (not an iframe). */
  readonly isMainFrame: boolean;
  /** The id of the page that sent it (Electron: webContents.id). */
  readonly contentsId: number;
}

/** One request as it arrived: the sender and the raw message, unchecked. */
export interface IncomingRequest {
  readonly sender: SenderInfo;
  readonly message: unknown;
}

export type RequestServer = (request: IncomingRequest) => Promise<IpcResult<unknown>>;

export interface Transport {
  /** Hands every incoming request to `server`; the returned function stops serving. */
  serve(server: RequestServer): () => void;
  /** Sends an event to the window. */
  emit(message: EventMessage): void;
}
