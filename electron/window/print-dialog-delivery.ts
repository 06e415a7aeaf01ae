// The print room's PrintDelivery in Electron: the printed MAR goes to the operating system's print
// dialog from memory. A hidden, sandboxed window of its own (an in-memory session, no preload, no
// Node) opens the PDF from a data: URL in Chromium's PDF viewer and webContents.print() shows the
// dialog; the window is destroyed afterwards. No file is written anywhere.
import type { BrowserWindowConstructorOptions, WebContentsPrintOptions } from 'electron';
import { PrintError, type PrintDelivery } from '../print/index.js';

/** The part of a BrowserWindow the delivery uses (a fake in tests). */
export interface PrintWindow {
  loadURL(url: string): Promise<void>;
  readonly webContents: {
    print(options: WebContentsPrintOptions, callback: (success: boolean, failureReason: string) => void): void;
  };
  destroy(): void;
}

/** A partition without "persist:": kept in memory, gone when Wardline quits. */
export const PRINT_PARTITION = 'wardline-print';

export const PRINT_WINDOW_OPTIONS: BrowserWindowConstructorOptions = Object.freeze({
  show: false,
  webPreferences: Object.freeze({
    partition: PRINT_PARTITION,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    webviewTag: false,
    // Chromium's PDF viewer is a plugin; this window shows nothing else.
    plugins: true,
    spellcheck: false,
  }),
});

/** Chromium's reason when the person closes the print dialog without printing: not a failure. */
const CANCELLED = /cancel/i;

export function printDialogDelivery(openWindow: () => PrintWindow): PrintDelivery {
  return {
    kind: 'print-dialog',
    async deliver({ bytes }) {
      const window = openWindow();
      try {
        await window.loadURL(`data:application/pdf;base64,${Buffer.from(bytes).toString('base64')}`);
        await new Promise<void>((resolve, reject) => {
          window.webContents.print({ silent: false, printBackground: true }, (success, failureReason) => {
            if (success || CANCELLED.test(failureReason)) resolve();
            else
              reject(
                new PrintError(
                  'PRINT_DIALOG_FAILED',
                  'The MAR could not be sent to the printer. Check the printer and try again; if it keeps failing, call IT.',
                ),
              );
          });
        });
      } finally {
        window.destroy();
      }
      return { delivery: 'print-dialog' };
    },
  };
}
