import { describe, expect, it } from 'vitest';
import { contentProtectionSupported, mainWindowOptions, WINDOW_PARTITION } from './window-options.js';

describe("the main window's options", () => {
  it.each([true, false])('isolate, sandbox and strip Node from the renderer (packaged: %s)', (packaged) => {
    const prefs = mainWindowOptions({ preload: '/opt/Wardline/resources/app.asar/dist/electron/preload.cjs', packaged }).webPreferences!;
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
    expect(prefs.enableBlinkFeatures).toBeUndefined();
    expect(prefs.preload).toBe('/opt/Wardline/resources/app.asar/dist/electron/preload.cjs');
  });

  it('keeps Chromium\'s storage for the window in memory (no "persist:" partition), so no page data reaches the disk', () => {
    const prefs = mainWindowOptions({ preload: '/p.cjs', packaged: true }).webPreferences!;
    expect(prefs.partition).toBe(WINDOW_PARTITION);
    expect(prefs.partition!.startsWith('persist:')).toBe(false);
  });

  it('turns the spellchecker off (on Linux it downloads dictionaries from Google)', () => {
    expect(mainWindowOptions({ preload: '/p.cjs', packaged: true }).webPreferences!.spellcheck).toBe(false);
  });

  it('allows devtools in a development build only', () => {
    expect(mainWindowOptions({ preload: '/p.cjs', packaged: true }).webPreferences!.devTools).toBe(false);
    expect(mainWindowOptions({ preload: '/p.cjs', packaged: false }).webPreferences!.devTools).toBe(true);
  });

  it('does not show the window before its page is ready', () => {
    expect(mainWindowOptions({ preload: '/p.cjs', packaged: true }).show).toBe(false);
  });

  it('asks for content protection where the OS offers it', () => {
    expect(contentProtectionSupported('win32')).toBe(true);
    expect(contentProtectionSupported('darwin')).toBe(true);
    expect(contentProtectionSupported('linux')).toBe(false);
  });
});
