import { describe, expect, it } from 'vitest';
import { printDialogDelivery, PRINT_WINDOW_OPTIONS, type PrintWindow } from './print-dialog-delivery.js';

function fakeWindow(answer: { success: boolean; failureReason: string }): { window: PrintWindow; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    window: {
      loadURL: async (url) => void calls.push(`load ${url.slice(0, 28)}`),
      webContents: {
        print: (options, callback) => {
          calls.push(`print silent=${String(options.silent)}`);
          callback(answer.success, answer.failureReason);
        },
      },
      destroy: () => void calls.push('destroy'),
    },
  };
}

const DOCUMENT = { bytes: new TextEncoder().encode('%PDF-1.7'), fileName: 'wardline-mar-20260101T000000Z.pdf' };

describe("Electron's print dialog delivery", () => {
  it('opens the PDF from memory in a hidden window, shows the print dialog, and destroys the window', async () => {
    const fake = fakeWindow({ success: true, failureReason: '' });
    expect(await printDialogDelivery(() => fake.window).deliver(DOCUMENT)).toEqual({ delivery: 'print-dialog' });
    expect(fake.calls).toEqual(['load data:application/pdf;base64,', 'print silent=false', 'destroy']);
    expect(PRINT_WINDOW_OPTIONS).toMatchObject({
      show: false,
      webPreferences: { sandbox: true, nodeIntegration: false, contextIsolation: true },
    });
    expect(PRINT_WINDOW_OPTIONS.webPreferences?.partition).not.toMatch(/^persist:/);
  });

  it('takes a cancelled dialog as done, and a failed print as a plain-language error, destroying the window both times', async () => {
    const cancelled = fakeWindow({ success: false, failureReason: 'Print job canceled' });
    await expect(printDialogDelivery(() => cancelled.window).deliver(DOCUMENT)).resolves.toEqual({ delivery: 'print-dialog' });
    const failed = fakeWindow({ success: false, failureReason: 'Print job failed' });
    await expect(printDialogDelivery(() => failed.window).deliver(DOCUMENT)).rejects.toMatchObject({ code: 'PRINT_DIALOG_FAILED' });
    expect(failed.calls.at(-1)).toBe('destroy');
  });
});
