// The composition root for Electron: wires the host to Electron's adapters (safeStorage or keytar,
// powerMonitor, ipcMain, electron-updater), hardens the session and every page, serves the renderer
// over app://, and refuses to start without a valid signed machine policy. No logic of its own lives here.
// `Wardline --admin <command> ...` runs the admin CLI instead (electron/cli, the same bundle as
// `wardline`): no window, output on stdout/stderr, the command's exit code, keys through safeStorage
// as the app's own; no fuse is loosened for it.
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, powerMonitor, protocol, safeStorage, session } from 'electron';
import electronUpdater from 'electron-updater';
import {
  createHostLogger,
  resolveDataDir,
  startFailureMessage,
  startWorkstation,
  type HostLogger,
  type WorkstationStart,
} from './host/index.js';
import { pdfFolderDelivery } from './print/index.js';
import {
  enrollmentTokenLocation,
  policyFileLocation,
  readMachinePolicy,
  readTrustAnchors,
  trustFileLocation,
  type TrustedKey,
  type WorkstationPolicy,
} from './policy/index.js';
import type { UpdateService } from './updates/index.js';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  appProtocolHandler,
  appSenderCheck,
  contentProtectionSupported,
  electronKeyCustodian,
  hardenSession,
  hardenWebContents,
  ipcMainTransport,
  mainWindowOptions,
  pinningRulesOf,
  PowerMonitorEvents,
  printDialogDelivery,
  saveDialogChooser,
  PRINT_WINDOW_OPTIONS,
  rendererSiteOf,
  startAutoUpdates,
  WINDOW_PARTITION,
  type Refusal,
} from './window/index.js';

// Before "ready": app:// is a standard, secure scheme (its own origin, 'self' in the CSP).
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

let mainWindow: BrowserWindow | null = null;
let host: WorkstationStart | null = null;
let updates: UpdateService | null = null;

function refuseToStart(error: unknown, logger: HostLogger | null): void {
  logger?.fatal(
    {
      event: 'host.refused_to_start',
      code: (error as { code?: unknown }).code ?? null,
      error: error instanceof Error ? error.name : typeof error,
    },
    'Wardline refused to start',
  );
  dialog.showErrorBox('Wardline cannot start', startFailureMessage(error));
  app.exit(1);
}

function logRefusal(logger: HostLogger): (refusal: Refusal | { reason: string }) => void {
  return (refusal) => logger.warn({ event: 'window.refused', ...refusal }, 'the window was refused something');
}

async function loadPolicy(): Promise<{ policy: WorkstationPolicy; policyFile: string; updateKeys: readonly TrustedKey[] }> {
  const trust = await readTrustAnchors(
    trustFileLocation({ packaged: app.isPackaged, resourcesPath: process.resourcesPath, appPath: app.getAppPath() }),
  );
  const policyFile = policyFileLocation({ packaged: app.isPackaged });
  return { policy: await readMachinePolicy(policyFile, trust.policyKeys), policyFile, updateKeys: trust.updateKeys };
}

async function start(): Promise<void> {
  await app.whenReady();
  let logger: HostLogger | null = null;
  try {
    const dataDir = resolveDataDir(undefined);
    logger = createHostLogger(dataDir);
    const log = logger;
    const { policy, policyFile, updateKeys } = await loadPolicy();
    const packaged = app.isPackaged;
    const onRefused = logRefusal(log);

    const windowSession = session.fromPartition(WINDOW_PARTITION);
    for (const target of [session.defaultSession, windowSession]) hardenSession(target, { pinning: pinningRulesOf(policy), onRefused });
    app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, { packaged, onRefused }));
    windowSession.protocol.handle(
      APP_SCHEME,
      appProtocolHandler(rendererSiteOf(path.join(app.getAppPath(), 'renderer', 'dist')), onRefused),
    );

    // A workstation with no vault sets itself up from the staged token (or shows "not set up").
    host = await startWorkstation({
      dataDir,
      policy,
      policyFile,
      enrollmentTokenFile: enrollmentTokenLocation({ packaged }),
      // The OS print dialog; a PDF file in the data folder only where the policy allows it.
      printDelivery: policy.saveAsPdfAllowed
        ? pdfFolderDelivery(dataDir)
        : printDialogDelivery(() => new BrowserWindow(PRINT_WINDOW_OPTIONS)),
      // The audit view's export: the OS save dialog chooses where; the host writes the file.
      saveFile: saveDialogChooser(
        dialog,
        () => mainWindow,
        () => app.getPath('documents'),
      ),
      custodian: electronKeyCustodian({ safeStorage, dataDir }),
      powerEvents: new PowerMonitorEvents(powerMonitor),
      transport: ipcMainTransport({ ipcMain, target: () => mainWindow?.webContents ?? null }),
      isTrustedSender: appSenderCheck(() => new Set(mainWindow === null ? [] : [mainWindow.webContents.id])),
      logger: log,
    });
    updates = startAutoUpdates({
      policy: policy.updates,
      packaged,
      currentVersion: app.getVersion(),
      trustedKeys: updateKeys,
      autoUpdater: () => electronUpdater.autoUpdater,
      pinning: pinningRulesOf(policy),
      onRefused,
      logger: log,
    });

    mainWindow = new BrowserWindow(
      mainWindowOptions({ preload: path.join(app.getAppPath(), 'dist', 'electron', 'preload.cjs'), packaged }),
    );
    if (contentProtectionSupported(process.platform)) mainWindow.setContentProtection(true);
    mainWindow.once('ready-to-show', () => mainWindow?.show());
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
    await mainWindow.loadURL(APP_ENTRY_URL);
  } catch (error) {
    refuseToStart(error, logger);
  }
}

/** The arguments after `--admin` when the binary was started as `Wardline --admin ...`, else null. */
function adminArguments(): string[] | null {
  const args = process.argv.slice(app.isPackaged ? 1 : 2);
  return args[0] === '--admin' ? args.slice(1) : null;
}

async function runAdminCommand(args: readonly string[]): Promise<void> {
  app.dock?.hide();
  await app.whenReady();
  let exitCode = 1;
  try {
    const { runAdmin } = await import('./cli/index.js');
    exitCode = await runAdmin(args, { custodianFor: (dataDir) => electronKeyCustodian({ safeStorage, dataDir }) });
  } catch (error) {
    process.stderr.write(`Wardline --admin: ${startFailureMessage(error)}\n`);
  }
  app.exit(exitCode);
}

const adminArgs = adminArguments();
if (adminArgs !== null) {
  void runAdminCommand(adminArgs);
} else if (!app.requestSingleInstanceLock()) {
  // One Wardline per OS user: a second start only brings the first window forward.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    void (host?.close() ?? Promise.resolve()).finally(() => app.quit());
  });
  app.on('before-quit', () => {
    updates?.stop();
    void host?.close();
  });
  void start();
}
