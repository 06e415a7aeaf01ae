// The audit view's export asks the OS save dialog, attached to the Wardline window, for a path: the
// host's proposed name (no patient data) in the documents folder, a CSV filter, the OS's overwrite
// confirmation; a cancelled dialog answers null, so nothing is written.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BrowserWindow, SaveDialogOptions, SaveDialogReturnValue } from 'electron';
import { saveDialogChooser, type SaveDialog } from './save-dialog-chooser.js';

function fakeDialog(answer: SaveDialogReturnValue): SaveDialog & { calls: Array<{ parent: unknown; options: SaveDialogOptions }> } {
  const calls: Array<{ parent: unknown; options: SaveDialogOptions }> = [];
  return {
    calls,
    showSaveDialog: (async (first: BrowserWindow | SaveDialogOptions, second?: SaveDialogOptions) => {
      calls.push(second === undefined ? { parent: null, options: first as SaveDialogOptions } : { parent: first, options: second });
      return answer;
    }) as SaveDialog['showSaveDialog'],
  };
}

const REQUEST = { suggestedName: 'wardline-audit-20260302T080000Z.csv', typeName: 'CSV', extensions: ['csv'] } as const;

describe('the save dialog chooser', () => {
  it('proposes the host’s file name in the documents folder, attached to the window, and answers the chosen path', async () => {
    const dialog = fakeDialog({ canceled: false, filePath: '/home/po/review.csv' });
    const window = { id: 1 } as unknown as BrowserWindow;
    const chooser = saveDialogChooser(
      dialog,
      () => window,
      () => '/home/po/Documents',
    );
    expect(await chooser.choose(REQUEST)).toBe('/home/po/review.csv');
    expect(dialog.calls).toEqual([
      {
        parent: window,
        options: {
          defaultPath: path.join('/home/po/Documents', REQUEST.suggestedName),
          filters: [{ name: 'CSV', extensions: ['csv'] }],
          properties: ['createDirectory', 'showOverwriteConfirmation'],
        },
      },
    ]);
  });

  it('answers null when the person cancels, and opens unattached when there is no window', async () => {
    const dialog = fakeDialog({ canceled: true, filePath: '' });
    expect(
      await saveDialogChooser(
        dialog,
        () => null,
        () => '/tmp',
      ).choose(REQUEST),
    ).toBeNull();
    expect(dialog.calls[0]!.parent).toBeNull();
  });
});
