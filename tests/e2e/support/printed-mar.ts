// The printed MAR as the page received it over the loopback WebSocket (evaluation mode shows it
// from memory, so there is no file to read): the print:mar answer's PDF, taken off the wire.
import type { Page } from 'playwright-core';

/** Resolves with the bytes of the next in-page MAR the page receives. */
export function nextPrintedMar(page: Page): Promise<Buffer> {
  return new Promise((resolve) => {
    page.on('websocket', (socket) => {
      socket.on('framereceived', ({ payload }) => {
        const text = typeof payload === 'string' ? payload : payload.toString('utf8');
        if (!text.includes('"delivery":"in-page"')) return;
        const frame = JSON.parse(text) as { reply?: { ok: boolean; value?: { delivery?: string; base64?: string } } };
        const value = frame.reply?.ok ? frame.reply.value : undefined;
        if (value?.delivery === 'in-page' && value.base64 !== undefined) resolve(Buffer.from(value.base64, 'base64'));
      });
    });
  });
}
