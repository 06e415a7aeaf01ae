// Who may talk to the host over loopback: only a page connected now, whose frame is the loopback
// server's root (the transport sets both; a message cannot claim them). The loopback counterpart
// of electron/window's appSenderCheck, passed to openWorkstationHost as isTrustedSender.
import type { SenderInfo } from '../host/index.js';

export function loopbackSenderCheck(origin: string, connectedPages: () => ReadonlySet<number>): (sender: SenderInfo) => boolean {
  return (sender) => sender.isMainFrame && sender.frameUrl === `${origin}/` && connectedPages().has(sender.contentsId);
}
