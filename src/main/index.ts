import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, type BrowserWindow } from 'electron';
import { type IpcMethod, ipcContract } from '../shared/ipc/contract';
import { ElectronBrowserOpener } from './electron/browser-opener';
import { registerIpc } from './electron/ipc';
import { resolveAppPaths } from './electron/paths';
import {
  createMainWindow,
  enforceSingleInstance,
  hardenWebContents,
  type RendererSource,
} from './electron/window';
import { AppError } from './errors';
import { createIpcRouter, type IpcHandlers } from './ipc/router';
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
  const dataDir = app.getPath('userData');
  const opener = new ElectronBrowserOpener(() => ({ simulatorOrigin: null }));
  // TODO(core): replace with `createTokenDeskCore({ dataDir, nativeBinding: paths.nativeBinding,
  // keyProtector: new SafeStorageKeyProtector(), settings: createElectronSettings(),
  // clipboard: new ElectronClipboard(), browser: opener, emit: broadcast })` from src/main/app once it
  // exists, and pass the simulator's origin to the opener's policy while demo mode runs.
  const core = createPlaceholderCore();
  void opener;
  log.info('starting', { dataDir, electronSqlite: paths.nativeBinding !== undefined });

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

/** Until the core exists every request answers NOT_READY (in plain words) instead of crashing. */
function createPlaceholderCore(): { handlers: IpcHandlers; close: () => Promise<void> } {
  const notReady = () => {
    throw new AppError('NOT_READY', 'This version of TokenDesk is not wired up yet.');
  };
  const methods = Object.keys(ipcContract) as IpcMethod[];
  const handlers = Object.fromEntries(methods.map((m) => [m, notReady])) as unknown as IpcHandlers;
  return { handlers, close: async () => {} };
}
