import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, type BrowserWindow, dialog, session } from 'electron';
import { createTokenDeskCore } from './core/core';
import { closeWithin, QUIT_WATCHDOG_MS, runStartup, type StartupSteps } from './core/startup';
import { ElectronAttentionSignals } from './electron/attention-signals';
import { ElectronBackupDialogs } from './electron/backup-dialogs';
import { ElectronBrowserOpener } from './electron/browser-opener';
import { ElectronClipboard } from './electron/clipboard';
import { broadcast, registerIpc } from './electron/ipc';
import { electronLogFolder } from './electron/log-folder';
import { netFetch } from './electron/net-fetch';
import { resolveAppPaths } from './electron/paths';
import { powerMonitorEvents } from './electron/power-events';
import { SafeStorageKeyProtector } from './electron/safe-storage-key-protector';
import { createElectronSettings } from './electron/settings';
import { readTestMode, type TestModeSetting, testModeEdge } from './electron/test-mode';
import {
  createMainWindow,
  enforceSingleInstance,
  hardenEveryWebContents,
  type RendererSource,
} from './electron/window';
import { createIpcRouter } from './ipc/router';
import { createLogger } from './log';
import { logToFile } from './log-file';
import { createAppPageCheck } from './security/app-page';

/**
 * App lifecycle (the edge's entry point). Everything that decides anything is built by the core in plain
 * Node; this file only wires Electron to it: paths, window, IPC, events, shutdown.
 */
const log = createLogger('main');
const paths = resolveAppPaths(dirname(fileURLToPath(import.meta.url)));
// electron-vite sets ELECTRON_RENDERER_URL for `electron-vite dev` only; a packaged app never trusts it.
const devServerUrl = !app.isPackaged ? (process.env.ELECTRON_RENDERER_URL ?? null) : null;
// Off unless TOKENDESK_TEST_MODE=1, never in a packaged app: the e2e harness's hooks (electron/test-mode.ts).
const testMode = loadTestMode();
// Every log line also goes to <userData>/logs/tokendesk.log (after test mode may have moved userData), so
// "the details are in the app log" names a file a user can find: Settings > Help opens its folder.
const appLog = testMode === null ? null : logToFile(join(app.getPath('userData'), 'logs'));

let mainWindow: BrowserWindow | null = null;

if (testMode === null) {
  // Invalid test settings: already exiting.
} else if (!enforceSingleInstance(app, () => mainWindow)) {
  app.quit();
} else {
  // Every webContents (our window's included) gets the no-navigation, no-popup rules, once.
  hardenEveryWebContents(app);
  // Any failure inside start (a damaged settings file, a store that cannot be read) ends in a dialog that
  // says what failed and where the log is, then an exit: never a process left running with no window.
  void app
    .whenReady()
    .then(() =>
      runStartup(
        start,
        {
          showError: ({ title, body }) => dialog.showErrorBox(title, body),
          exit: (code) => app.exit(code),
          logError: (message, fields) => log.error(message, fields),
        },
        appLog?.path ?? null,
      ),
    )
    .catch((error: unknown) => {
      log.error('could not report a failed start', { error });
      app.exit(1);
    });
}

/** Reads test mode; in test mode, moves userData before the lock, electron-store or Chromium read it. */
function loadTestMode(): TestModeSetting | null {
  try {
    const setting = readTestMode(process.env, app);
    if (setting.kind === 'ignored') log.warn(setting.reason);
    if (setting.kind === 'on') {
      app.setPath('userData', setting.mode.dataDir);
      log.warn('TEST MODE: Zoho simulator from the environment, no keychain, recorded browser and clipboard');
    }
    return setting;
  } catch (error) {
    log.error('cannot start', { error });
    app.exit(1);
    return null;
  }
}

async function start(steps: StartupSteps): Promise<void> {
  const testing = testMode?.kind === 'on' ? testModeEdge(testMode.mode, broadcast) : null;
  const keychain = new SafeStorageKeyProtector();
  const settings = await steps.run('reading the settings file', () => createElectronSettings());
  // Zoho calls go through Chromium's network stack (system proxy, OS certificates) in an in-memory
  // session of their own: no disk cache or cookies for token responses (electron/net-fetch.ts).
  const zohoSession = session.fromPartition('tokendesk-zoho', { cache: false });
  // The opener asks the core per call: demo mode can start (and pick simulator ports) at any time.
  let simulatorOrigins: () => string[] = () => [];
  // Dock/taskbar badge and OS notification for tokens needing re-authorisation (docs/health.md).
  const attentionSignals = new ElectronAttentionSignals(() => mainWindow);
  const core = await steps.run('opening the token store', () =>
    createTokenDeskCore({
      dataDir: app.getPath('userData'),
      settings,
      fetch: netFetch(zohoSession),
      clipboard: new ElectronClipboard(),
      browserOpener: new ElectronBrowserOpener(
        () => ({ simulatorOrigins: simulatorOrigins() }),
        testing?.openExternal,
      ),
      keychain: { availability: () => keychain.availability(), protector: () => keychain },
      // Loaded only when the user starts demo mode.
      startSimulator: async () => (await import('../../sim/simulator')).startZohoSimulator(),
      notify: broadcast,
      // Sleep and screen lock lock the store (the core decides; docs/store-lifecycle.md "Lock").
      systemEvents: powerMonitorEvents,
      attentionSignals,
      version: app.getVersion(),
      ...(appLog && testing === null ? { logFolder: electronLogFolder(appLog.dir) } : {}),
      // Native save/open dialogs for backups; test mode types the path instead (no dialog to answer).
      ...(testing ? {} : { backupDialogs: new ElectronBackupDialogs(() => mainWindow) }),
      // Test mode only: the test's simulator, recording clipboard and events, no keychain.
      ...testing?.coreDeps,
    }),
  );
  simulatorOrigins = () => core.simulatorOrigins();

  const isAppPage = createAppPageCheck({ rendererFile: paths.rendererFile, devServerUrl });
  const router = createIpcRouter(core.handlers, {
    isAllowedSender: isAppPage,
    // Packaged: drop undeclared response fields; development: refuse them loudly.
    responseCheck: app.isPackaged ? 'strip' : 'strict',
  });
  const stopIpc = registerIpc(router);

  const source: RendererSource = devServerUrl ? { url: devServerUrl } : { file: paths.rendererFile };
  const open = () => {
    mainWindow = createMainWindow(paths.preload, source, { packaged: app.isPackaged, isAppPage });
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
    attentionSignals.windowOpened();
  };
  await steps.run('opening the window', open);

  // macOS keeps the app alive without windows; clicking the dock icon opens one again.
  app.on('activate', () => {
    if (mainWindow === null) open();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  let closing = false;
  app.on('will-quit', (event) => {
    if (closing) return;
    // Close the store (checkpoint the WAL) and stop the loopback server before the process exits.
    closing = true;
    event.preventDefault();
    stopIpc();
    // A close that hangs must not keep the process alive with no window (app/startup.ts).
    void closeWithin(() => core.close(), QUIT_WATCHDOG_MS).then((outcome) => {
      if (outcome.kind === 'closed') return app.quit();
      if (outcome.kind === 'failed') log.error('shutdown failed', { error: outcome.error });
      else log.error(`closing the store took more than ${QUIT_WATCHDOG_MS / 1000} s; exiting anyway`);
      app.exit(1);
    });
  });
}
