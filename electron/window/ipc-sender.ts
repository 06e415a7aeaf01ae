// Who may talk to the host: only the top frame of the host's own window, showing an app:// page.
// An iframe, another window, a page that navigated elsewhere (or a destroyed frame) is refused.
import type { IpcMainInvokeEvent } from 'electron';
import type { SenderInfo } from '../host/index.js';
import { APP_HOST, APP_SCHEME } from './app-protocol.js';

/** What the router needs to know about an Electron IPC event's sender. */
export function senderInfoOf(event: Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>): SenderInfo {
  let frameUrl: string | null = null;
  let isMainFrame = false;
  try {
    const frame = event.senderFrame;
    if (frame !== null) {
      frameUrl = frame.url;
      isMainFrame = frame.parent === null;
    }
  } catch {
    // A frame disposed of mid-call throws on access: treat it as gone.
  }
  return { frameUrl, isMainFrame, contentsId: event.sender.id };
}

/** A sender check trusting only the top app:// frame of the pages `trustedContents` names. */
export function appSenderCheck(trustedContents: () => ReadonlySet<number>): (sender: SenderInfo) => boolean {
  return (sender) => {
    if (!sender.isMainFrame || sender.frameUrl === null || !trustedContents().has(sender.contentsId)) return false;
    let url: URL;
    try {
      url = new URL(sender.frameUrl);
    } catch {
      return false;
    }
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.username === '' && url.password === '';
  };
}
