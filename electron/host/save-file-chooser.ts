// The SaveFileChooser port: where a file the person exports from the window goes. The host asks it
// for a path (Electron: the operating system's save dialog, electron/window/save-dialog-chooser.ts)
// and writes the file itself; the window never writes files. A host without one (evaluation mode)
// refuses exports with a plain message.

export interface SaveFileRequest {
  /** The name the dialog proposes: never a patient's name, MRN or other patient data. */
  readonly suggestedName: string;
  /** What the file type filter says ("CSV"), and its extensions without the dot. */
  readonly typeName: string;
  readonly extensions: readonly string[];
}

export interface SaveFileChooser {
  /** The absolute path the person chose, or null when they cancelled. */
  choose(request: SaveFileRequest): Promise<string | null>;
}
