import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, type BrowserWindow } from 'electron';
import { createTokenDeskCore } from './app/core';
import { ElectronBrowserOpener } from './electron/browser-opener';
import { ElectronClipboard } from './electron/clipboard';
import { broadcast, registerIpc } from './electron/ipc';
import { resolveAppPaths } from './electron/paths';
import { SafeStorageKeyProtector } from './electron/safe-storage-key-protector';
import { createElectronSettings } from './electron/settings';
import {
  createMainWindow,
  enforceSingleInstance,
  hardenWebContents,
  type RendererSource,
} from './electron/window';
import { createIpcRouter } from './ipc/router';
import { createLogger } from './log';
import { createAppPageCheck } from './security/app-page';

/**
 * App lifecycle (the edge's entry point). Everything that decides anything is built by the core in plain
 * Node; this file only wires Electron to it: paths, window, IPC, events, shutdown.
 */
const log = createLogger('main');
const paths = resolveAppPaths(dirname(fileURLToPath(import.meta.url)), app.getAppPath());
// electron-vite sets ELECTRON_RENDERER_URL for `electron-vite dev` only; a packaged app never trusts it.
const devServerUrl = !app.isPackaged ? (process.env.ELECTRON_RENDERER_URL ?? null) : null;

let mainWindow: BrowserWindow | null = null;

if (!enforceSingleInstance(app, () => mainWindow)) {
  app.quit();
} else {
  // Defence in depth: any webContents (not only our window) gets the no-navigation, no-popup rules.
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.whenReady().then(start, (error: unknown) => {
    log.error('failed to start', { error });
    app.exit(1);
  });
}

async function start(): Promise<void> {
  const keychain = new SafeStorageKeyProtector();
  // The opener asks the core per call: demo mode can start (and pick simulator ports) at any time.
  let simulatorOrigins: () => string[] = () => [];
  const core = await createTokenDeskCore({
    dataDir: app.getPath('userData'),
    ...(paths.nativeBinding !== undefined ? { nativeBinding: paths.nativeBinding } : {}),
    settings: createElectronSettings(),
    clipboard: new ElectronClipboard(),
    browserOpener: new ElectronBrowserOpener(() => ({ simulatorOrigins: simulatorOrigins() })),
    keychain: { availability: () => keychain.availability(), protector: () => keychain },
    // Loaded only when the user starts demo mode.
    startSimulator: async () => (await import('../../sim/simulator')).startZohoSimulator(),
    notify: broadcast,
    version: app.getVersion(),
  });
  simulatorOrigins = () => core.simulatorOrigins();
  if (paths.nativeBinding === undefined) {
    log.warn('no Electron build of better-sqlite3 found; run "npm run postinstall" with network access');
  }

  const router = createIpcRouter(core.handlers, {
    isAllowedSender: createAppPageCheck({ rendererFileUrl: paths.rendererFileUrl, devServerUrl }),
    // Packaged: drop undeclared response fields; development: refuse them loudly.
    responseCheck: app.isPackaged ? 'strip' : 'strict',
  });
  const unregister = registerIpc(router);

  const source: RendererSource = devServerUrl ? { url: devServerUrl } : { file: paths.rendererFile };
  const open = () => {
    mainWindow = createMainWindow(paths.preload, source);
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  };
  open();

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
    unregister();
    core.close().then(
      () => app.quit(),
      (error: unknown) => {
        log.error('shutdown failed', { error });
        app.exit(1);
      },
    );
  });
}
