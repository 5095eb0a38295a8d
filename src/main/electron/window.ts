import {
  type App,
  BrowserWindow,
  type BrowserWindowConstructorOptions,
  type Session,
  type WebContents,
} from 'electron';
import { createLogger } from '../log';
import type { SenderCheck } from '../security/app-page';
import { CONTENT_SECURITY_POLICY } from '../security/content-security-policy';
import { decidePermission } from '../security/permissions';

/**
 * Every Electron security default lives here (docs/architecture.md "Electron security defaults"; Electron's
 * security checklist). The renderer is untrusted UI: it gets no Node, no navigation, no new windows, no
 * permissions, and reaches main only through the preload's contract functions.
 */
const log = createLogger('window');

export function mainWindowOptions(
  preloadPath: string,
  { packaged }: { readonly packaged: boolean },
): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'TokenDesk',
    // Shown on `ready-to-show` so the user never sees a blank frame.
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      // The spellchecker downloads dictionaries and sees what is typed, e.g. a pasted client secret.
      spellcheck: false,
      safeDialogs: true,
      // A shipped build has no DevTools: an open console in the window that lists the tokens is a way in.
      devTools: !packaged,
    },
  };
}

/** Where the renderer comes from: the built file, or (development only) the dev server. */
export type RendererSource = { readonly file: string } | { readonly url: string };

export interface MainWindowOptions {
  readonly packaged: boolean;
  /** The app's own page (the IPC sender check): the one page that gets the clipboard-write permission. */
  readonly isAppPage: SenderCheck;
}

export function createMainWindow(
  preloadPath: string,
  source: RendererSource,
  options: MainWindowOptions,
): BrowserWindow {
  // Its webContents got the navigation and popup rules from `hardenEveryWebContents` while it was created.
  const window = new BrowserWindow(mainWindowOptions(preloadPath, options));
  hardenSession(window.webContents.session, options.isAppPage);
  window.once('ready-to-show', () => window.show());
  if ('file' in source) void window.loadFile(source.file);
  else void window.loadURL(source.url);
  return window;
}

/**
 * The one place the navigation and popup rules are attached: every webContents the app ever creates (the
 * main window's, and any other, as defence in depth) gets them once, from `web-contents-created`, which
 * fires while a BrowserWindow is constructed, before anything is loaded. Call once, before the app is ready.
 */
export function hardenEveryWebContents(app: Pick<App, 'on'>): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
}

/** The page is a single-page app: it never navigates, opens windows or embeds web views. */
function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    log.warn('blocked a navigation away from the app', { url: withoutQuery(url) });
  });
  contents.on('will-redirect', (event, url) => {
    event.preventDefault();
    log.warn('blocked a redirect', { url: withoutQuery(url) });
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('blocked a <webview>');
  });
  // Links to Zoho go through the BrowserOpener (IPC), never window.open.
  contents.setWindowOpenHandler(({ url }) => {
    log.warn('blocked a new window', { url: withoutQuery(url) });
    return { action: 'deny' };
  });
}

function hardenSession(session: Session, isAppPage: SenderCheck): void {
  // Only clipboard-sanitized-write, for the app page's top frame (security/permissions.ts). Camera,
  // notifications, clipboard-read, geolocation...: the app needs none of them.
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const allowed = decidePermission(
      { permission, isMainFrame: details.isMainFrame, requestingUrl: details.requestingUrl },
      isAppPage,
    );
    if (!allowed) log.warn('denied a permission request', { permission });
    callback(allowed);
  });
  session.setPermissionCheckHandler((_contents, permission, _origin, details) =>
    decidePermission(
      { permission, isMainFrame: details.isMainFrame, requestingUrl: details.requestingUrl },
      isAppPage,
    ),
  );
  // The file:// page carries the same policy as a <meta> tag; this covers anything served over http.
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) });
  });
}

export function withContentSecurityPolicy(
  headers: Record<string, string[]> | undefined,
): Record<string, string[]> {
  const kept = Object.entries(headers ?? {}).filter(
    ([name]) => name.toLowerCase() !== 'content-security-policy',
  );
  return { ...Object.fromEntries(kept), 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] };
}

/**
 * One instance per user: two would open the same SQLite store and race on its data key. A second launch
 * focuses the first window and exits. Returns false when this process must quit.
 */
export function enforceSingleInstance(app: App, currentWindow: () => BrowserWindow | null): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', () => {
    const window = currentWindow();
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });
  return true;
}

/** Navigation targets can carry OAuth codes in their query; the log needs only where it pointed. */
function withoutQuery(url: string): string {
  return url.split(/[?#]/, 1)[0]?.slice(0, 200) ?? '';
}
