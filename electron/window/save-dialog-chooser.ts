// The host's SaveFileChooser in Electron: the operating system's save dialog, attached to the
// Wardline window, proposing the host's file name (never patient data) in the user's documents
// folder. It only chooses the path; the host writes the file.
import type { BrowserWindow, SaveDialogOptions, SaveDialogReturnValue } from 'electron';
import path from 'node:path';
import type { SaveFileChooser } from '../host/index.js';

/** The part of Electron's dialog module the chooser uses (a fake in tests). */
export interface SaveDialog {
  showSaveDialog(window: BrowserWindow, options: SaveDialogOptions): Promise<SaveDialogReturnValue>;
  showSaveDialog(options: SaveDialogOptions): Promise<SaveDialogReturnValue>;
}

export function saveDialogChooser(dialog: SaveDialog, window: () => BrowserWindow | null, documentsFolder: () => string): SaveFileChooser {
  return {
    async choose({ suggestedName, typeName, extensions }) {
      const options: SaveDialogOptions = {
        defaultPath: path.join(documentsFolder(), suggestedName),
        filters: [{ name: typeName, extensions: [...extensions] }],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      const parent = window();
      const answer = parent === null ? await dialog.showSaveDialog(options) : await dialog.showSaveDialog(parent, options);
      return answer.canceled || answer.filePath === undefined || answer.filePath === '' ? null : answer.filePath;
    },
  };
}
